"""The ecosystem directory: list, detail, suggestions and curation."""

from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/directory")
