"""Role checks and per-object permissions used by every domain.

Views use `@role_required(Role.COORDINATOR)` for features of a role and
`authorize("startup.edit", startup)` for a particular object. Domains register
their object rules with `@policy("startup.edit")` in their services module.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ecosystem.auth.models import Role, User

PolicyCheck = Callable[[User, object], bool]
_policies: dict[str, PolicyCheck] = {}


def policy(action: str) -> Callable[[PolicyCheck], PolicyCheck]:
    def register(check: PolicyCheck) -> PolicyCheck:
        if action in _policies:
            raise ValueError(f"policy {action!r} registered twice")
        _policies[action] = check
        return check

    return register


def can(user, action: str, obj: object = None) -> bool:
    """True when `user` may do `action` (on `obj`). Admins may do everything."""
    if user is None or not user.is_authenticated or not user.is_confirmed:
        return False
    if user.is_admin:
        return True
    check = _policies.get(action)
    if check is None:
        raise LookupError(f"no policy registered for {action!r}")
    return bool(check(user, obj))


def authorize(action: str, obj: object = None) -> None:
    if not can(current_user, action, obj):
        abort(403)


def _refuse_unconfirmed():
    flash(_("Please confirm your e-mail address to use this feature."), "warning")
    return redirect(url_for("auth.unconfirmed"))


def confirmed_required(view):
    """Logged in with a confirmed e-mail address."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not current_user.is_confirmed:
            return _refuse_unconfirmed()
        return view(*args, **kwargs)

    return wrapper


def role_required(*roles: Role):
    """Logged in, confirmed, and holding one of `roles` (admins always pass)."""

    def decorator(view):
        @wraps(view)
        @confirmed_required
        def wrapper(*args, **kwargs):
            if not (current_user.is_admin or current_user.has_role(*roles)):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
