"""Redirect targets that stay on this site."""

from urllib.parse import urlsplit

from flask import abort, current_app, has_request_context, request, url_for
from flask_babel import gettext as _


def safe_next_url(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None.

    Refuses absolute URLs, scheme-relative ones (`//evil.example`), backslash
    tricks browsers read as `//`, and control characters.
    """
    if not target or len(target) > 2000:
        return None
    if any(ord(char) < 32 or char == "\\" for char in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def redirect_target(default_endpoint: str = "home.index") -> str:
    """The `next` parameter (form or query) when safe, else the default page."""
    candidate = request.form.get("next") or request.args.get("next")
    return safe_next_url(candidate) or url_for(default_endpoint)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails. Built from PUBLIC_BASE_URL when set, never from the
    request's Host header in production (a forged Host would leak reset tokens). Works
    outside requests too (workers, commands)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if has_request_context():
        if base:
            return base.rstrip("/") + url_for(endpoint, **values)
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context("/", base_url=base or "http://localhost:5000"):
        return url_for(endpoint, _external=True, **values)


def is_web_address(value: str, max_length: int) -> bool:
    """An http(s) address with a dotted host name, no spaces or control characters, at most `max_length`."""
    if len(value) > max_length or any(char.isspace() or ord(char) < 32 for char in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and "." in (parts.hostname or "")


def link_context():
    """A request context for work outside requests (workers, commands) whose links and e-mails are
    built from PUBLIC_BASE_URL."""
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost:5000"
    return current_app.test_request_context("/", base_url=base)


def page_argument() -> int:
    """`?page=` as a positive integer; a clear 400 otherwise."""
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 100_000:
        abort(400, description=_("The page number must be a whole number from 1."))
    return int(raw)
