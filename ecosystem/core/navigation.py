"""Template helpers for navigation: the main menu and links between pages of a list."""

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

MENU = [
    ("startups.index", _l("Startups")),
    ("clubs.index", _l("Clubs")),
    ("events.index", _l("Events")),
    ("delegations.index", _l("Techfest")),
    ("mentoring.mentors", _l("Mentors")),
    ("directory.index", _l("Ecosystem")),
]


def main_navigation() -> list[dict]:
    items = []
    for endpoint, label in MENU:
        if endpoint not in current_app.view_functions:
            continue
        blueprint = endpoint.split(".", 1)[0]
        items.append({"url": url_for(endpoint), "label": label, "active": request.blueprint == blueprint})
    return items


def page_url(page: int) -> str:
    """The current page's URL with its query kept and `page` replaced."""
    arguments = {**(request.view_args or {}), **request.args.to_dict(), "page": page}
    return url_for(request.endpoint, **arguments)
