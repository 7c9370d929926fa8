"""Signed, expiring tokens for e-mail confirmation and password reset."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_SALT = "ecosystem.auth.confirm-email"
RESET_SALT = "ecosystem.auth.reset-password"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def password_fingerprint(password_hash: str) -> str:
    """Changes whenever the password does, so a reset link works only once."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def make_token(salt: str, payload: dict) -> str:
    return _serializer(salt).dumps(payload)


def read_token(salt: str, token: str, max_age: int) -> dict:
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenExpired from error
    except BadSignature as error:
        raise TokenInvalid from error
    if not isinstance(payload, dict):
        raise TokenInvalid
    return payload
