"""Startup profiles: list, detail, registration, editing, members, verification."""

from flask import Blueprint

bp = Blueprint("startups", __name__, url_prefix="/startups")
