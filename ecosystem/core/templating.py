"""Template filters and globals shared by every domain."""

import enum

from flask import Flask, current_app, url_for

from ecosystem.core.markdown import render_markdown
from ecosystem.core.navigation import main_navigation, page_url


def media_url(name: str | None, folder: str = "logos") -> str | None:
    return url_for("core.media", folder=folder, name=name) if name else None


def has_endpoint(endpoint: str) -> bool:
    """Templates link to another domain's page only once that domain is installed."""
    return endpoint in current_app.view_functions


def expose_enums(app: Flask, *enums: type[enum.Enum]) -> None:
    """Templates compare a status with `EventStatus.CANCELLED`, never with a string literal."""
    for enum_class in enums:
        app.add_template_global(enum_class, enum_class.__name__)


def register_template_helpers(app: Flask) -> None:
    app.add_template_global(main_navigation, "main_navigation")
    app.add_template_global(page_url, "page_url")
    app.add_template_global(media_url, "media_url")
    app.add_template_global(has_endpoint, "has_endpoint")
    app.add_template_filter(render_markdown, "markdown")
