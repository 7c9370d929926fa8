"""Account rules: sign-up, confirmation, login, password reset, settings, roles."""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ecosystem.auth.models import Role, User, UserRole, new_session_token
from ecosystem.auth.tokens import (
    CONFIRM_SALT,
    RESET_SALT,
    TokenInvalid,
    make_token,
    password_fingerprint,
    read_token,
)
from ecosystem.core.errors import DomainError
from ecosystem.core.urls import external_url
from ecosystem.core.validation import normalize_email
from ecosystem.extensions import db
from ecosystem.mail.services import queue_mail
from ecosystem.timeutil import utcnow

log = logging.getLogger(__name__)

# Compared against when an e-mail is unknown, so a login takes as long either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(DomainError):
    """A rule refused the change; the message is shown to the user."""


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalize_email(email)))


def _queue_confirmation(user: User) -> None:
    token = make_token(CONFIRM_SALT, {"uid": user.id, "email": user.email})
    queue_mail(
        user.email,
        _l("Confirm your e-mail address"),
        "auth/mail/confirm_email",
        user.locale,
        user=user,
        confirm_url=external_url("auth.confirm_email", token=token),
    )


def register_user(email: str, password: str, full_name: str, locale: str) -> User | None:
    """Create an account and queue its confirmation e-mail.

    Returns None when the address is already registered: its owner gets a
    notice instead, and the caller shows the same message either way.
    """
    email = normalize_email(email)
    existing = find_user_by_email(email)
    if existing is not None:
        queue_mail(
            existing.email,
            _l("Someone tried to sign up with your e-mail address"),
            "auth/mail/already_registered",
            existing.locale,
            user=existing,
            login_url=external_url("auth.login"),
            reset_url=external_url("auth.reset_request"),
        )
        db.session.commit()
        return None
    user = User(email=email, full_name=full_name.strip(), locale=locale)
    user.set_password(password)
    user.role_grants.append(UserRole(role=Role.MEMBER))
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        # Two sign-ups with the same address at the same moment: the other one won.
        db.session.rollback()
        return None
    _queue_confirmation(user)
    db.session.commit()
    return user


def resend_confirmation(user: User) -> None:
    if user.is_confirmed:
        return
    _queue_confirmation(user)
    db.session.commit()


def confirm_email(token: str) -> User:
    """Raises TokenExpired or TokenInvalid."""
    payload = read_token(CONFIRM_SALT, token, current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise TokenInvalid
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
        db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def end_sessions(user: User) -> None:
    """Rotate the session token: every session and remember cookie of this user, including a copy
    of the cookie taken before logout, stops working."""
    user.session_token = new_session_token()
    db.session.commit()


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.commit()


def request_password_reset(email: str) -> None:
    """Queue a reset link if the address is registered; silent otherwise."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = make_token(RESET_SALT, {"uid": user.id, "pw": password_fingerprint(user.password_hash)})
    queue_mail(
        user.email,
        _l("Reset your password"),
        "auth/mail/reset_password",
        user.locale,
        user=user,
        reset_url=external_url("auth.reset_password", token=token),
        valid_minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    """Raises TokenExpired or TokenInvalid (also for a link already used)."""
    payload = read_token(RESET_SALT, token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or payload.get("pw") != password_fingerprint(user.password_hash):
        raise TokenInvalid
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    user.set_password(new_password)
    # Following the link proves the address works.
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    queue_mail(
        user.email,
        _l("Your password was changed"),
        "auth/mail/password_changed",
        user.locale,
        user=user,
        reset_url=external_url("auth.reset_request"),
    )
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise AccountError(_l("The current password is not correct."))
    user.set_password(new_password)
    queue_mail(
        user.email,
        _l("Your password was changed"),
        "auth/mail/password_changed",
        user.locale,
        user=user,
        reset_url=external_url("auth.reset_request"),
    )
    db.session.commit()


def update_settings(user: User, full_name: str, phone: str | None, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise AccountError(_l("This language is not available."))
    user.full_name = full_name.strip()
    user.phone = phone or None
    user.locale = locale
    db.session.commit()


def set_language(user: User, locale: str) -> None:
    if user.locale != locale:
        user.locale = locale
        db.session.commit()


def set_roles(user: User, roles: set[Role], acting_admin: User) -> None:
    """Replace a user's roles. An admin cannot remove their own admin role."""
    roles = set(roles) | {Role.MEMBER}
    if user.id == acting_admin.id and Role.ADMIN not in roles:
        raise AccountError(_l("You cannot remove your own administrator role."))
    current = {grant.role: grant for grant in user.role_grants}
    for role_name, grant in current.items():
        if Role(role_name) not in roles:
            user.role_grants.remove(grant)
    for role in roles - {Role(name) for name in current}:
        user.role_grants.append(UserRole(role=role))
    db.session.commit()


def grant_role(user: User, role: Role) -> None:
    if not user.has_role(role):
        user.role_grants.append(UserRole(role=role))


def create_confirmed_user(
    email: str, password: str, full_name: str, roles: set[Role] = frozenset(), locale: str = "vi"
) -> User:
    """An account that needs no e-mail confirmation (CLI, demo data). Does not commit."""
    user = User(email=normalize_email(email), full_name=full_name, locale=locale, confirmed_at=utcnow())
    user.set_password(password)
    for role in {Role.MEMBER, *roles}:
        user.role_grants.append(UserRole(role=role))
    db.session.add(user)
    return user


def search_users(query: str | None, page: int, per_page: int = 50):
    statement = db.select(User).order_by(User.created_at.desc())
    if query:
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(db.or_(User.email.like(pattern), db.func.lower(User.full_name).like(pattern)))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
