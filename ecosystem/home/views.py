"""The home page and the language switch: site pages that read several domains' services."""

from flask import Blueprint, flash, redirect, render_template, session
from flask_babel import gettext as _
from flask_login import current_user

from ecosystem.auth.forms import LanguageForm
from ecosystem.auth.services import set_language
from ecosystem.clubs import profiles as club_profiles
from ecosystem.core.listing import ListQuery
from ecosystem.core.urls import redirect_target
from ecosystem.directory import queries as directory_queries
from ecosystem.i18n import SESSION_KEY
from ecosystem.startups import profiles as startup_profiles

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return render_template(
        "home/index.html",
        featured=startup_profiles.search_startups(ListQuery(facets={"verified": "yes"}, sort="newest", per_page=6)),
        startup_count=startup_profiles.public_startup_count(),
        component_count=directory_queries.approved_component_count(),
        club_count=club_profiles.club_count(),
    )


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
