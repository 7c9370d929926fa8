"""University clubs and their student teams."""

from flask import Blueprint

bp = Blueprint("clubs", __name__, url_prefix="/clubs")
