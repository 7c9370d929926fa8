"""Test data built through the services, so it obeys the same rules as real data."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ecosystem.auth.models import Role
from ecosystem.auth.services import create_confirmed_user
from ecosystem.extensions import db

__all__ = ["DEFAULT_PASSWORD", "UserRef", "make_admin", "make_user"]

DEFAULT_PASSWORD = "correct-horse-battery"  # noqa: S105 - test credential
_sequence = itertools.count(1)


@dataclass(frozen=True)
class UserRef:
    id: int
    email: str
    password: str


def make_user(app, roles=(), confirmed: bool = True, password: str = DEFAULT_PASSWORD, email: str | None = None,
              full_name: str = "Nguyễn Văn Test", locale: str = "vi") -> UserRef:
    email = email or f"user{next(_sequence)}@example.com"
    with app.app_context():
        user = create_confirmed_user(email, password, full_name, set(roles), locale=locale)
        if not confirmed:
            user.confirmed_at = None
        db.session.commit()
        return UserRef(user.id, user.email, password)


def make_admin(app, **kwargs) -> UserRef:
    return make_user(app, roles=(Role.ADMIN,), **kwargs)
