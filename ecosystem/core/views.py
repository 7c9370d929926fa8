"""Home page, health check and the language switcher."""

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, send_file, session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ecosystem.auth.forms import LanguageForm
from ecosystem.auth.services import set_language
from ecosystem.clubs import services as clubs
from ecosystem.core.listing import ListQuery
from ecosystem.core.uploads import stored_path
from ecosystem.core.urls import redirect_target
from ecosystem.directory import services as directory
from ecosystem.extensions import db, limiter
from ecosystem.i18n import SESSION_KEY
from ecosystem.startups import services as startups

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    return render_template(
        "core/home.html",
        featured=startups.search_startups(ListQuery(facets={"verified": "yes"}, sort="newest", per_page=6)),
        startup_count=startups.public_startup_count(),
        component_count=directory.approved_component_count(),
        club_count=clubs.club_count(),
    )


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


@bp.post("/language")
def switch_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session[SESSION_KEY] = form.lang.data
        if current_user.is_authenticated:
            set_language(current_user, form.lang.data)
    else:
        flash(_("This language is not available."), "error")
    return redirect(redirect_target())


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
