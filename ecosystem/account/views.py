"""The personal page ("Của tôi") and the privacy notice.

A top-layer package: the personal page reads several domains (see `services`), so it lives
above them, like the API, instead of in `core` (the lowest layer, which imports no domain).
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ecosystem.account import services
from ecosystem.auth.permissions import confirmed_required
from ecosystem.delegations import calls as delegation_calls
from ecosystem.events import queries as event_queries

bp = Blueprint("account", __name__)


@bp.get("/me")
@confirmed_required
def mine():
    return render_template(
        "account/mine.html",
        overview=services.personal_overview(current_user._get_current_object()),
        may_cancel=event_queries.may_cancel_now,
        application_status_label=delegation_calls.application_status_label,
    )


@bp.get("/privacy")
def privacy():
    return render_template("account/privacy.html")
