"""The health check and uploaded media (the home page is in `ecosystem/home/`)."""

from flask import Blueprint, abort, current_app, jsonify, send_file
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ecosystem.core.uploads import stored_path
from ecosystem.extensions import db, limiter

bp = Blueprint("core", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("Health check: the database does not answer")
        db.session.rollback()
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok")


@bp.get("/media/<folder>/<name>")
@limiter.exempt
def media(folder: str, name: str):
    path = stored_path(folder, name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=365 * 24 * 3600, conditional=True)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
