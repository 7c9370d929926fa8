"""Factories for the startups domain, built through the services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from ecosystem.places.provinces import HOME_PROVINCE
from ecosystem.places.services import load_reference_localities
from ecosystem.startups.profiles import create_startup
from ecosystem.startups.services import StartupData
from ecosystem.startups.verification import verify_startup
from tests.factories.users import UserRef, make_user

__all__ = ["StartupRef", "ensure_localities", "locality_id", "make_startup", "make_startups"]

_sequence = itertools.count(1)
DEFAULT_LOCALITY = "Xã Đại Từ"


@dataclass(frozen=True)
class StartupRef:
    id: int
    slug: str
    name: str
    owner: UserRef


def ensure_localities(app) -> None:
    """The 92 communes and wards (the test schema is built without the migration's data)."""
    with app.app_context():
        if load_reference_localities():
            db.session.commit()


def locality_id(app, name: str = DEFAULT_LOCALITY) -> int:
    ensure_localities(app)
    with app.app_context():
        found = db.session.scalar(db.select(Locality.id).where(Locality.name == name))
        assert found is not None, f"no locality named {name!r}"
        return found


def make_startup(app, owner: UserRef | None = None, *, locality: str | None = None, verified_by: UserRef | None = None,
                 logo_stream=None, **fields) -> StartupRef:
    """A startup registered by `owner` (a new founder by default).

    `fields` are StartupData fields; `locality` names a commune or ward of Thái Nguyên;
    `verified_by` (a coordinator) verifies it after creation.
    """
    owner = owner or make_user(app, roles=(Role.FOUNDER,))
    values = {
        "name": f"Khởi nghiệp thử nghiệm {next(_sequence)}",
        "tagline": "Sản phẩm thử nghiệm",
        "sector": "agritech",
        "stage": "mvp",
        "province": HOME_PROVINCE,
        **fields,
    }
    if values["province"] == HOME_PROVINCE and "locality_id" not in values:
        values["locality_id"] = locality_id(app, locality or DEFAULT_LOCALITY)
    if verified_by is not None:  # what the department's checklist asks for
        values.setdefault("tax_code", f"46{next(_sequence):08d}")
        values.setdefault("contact_email", "lienhe@example.vn")
    with app.app_context():
        startup = create_startup(db.session.get(User, owner.id), StartupData(**values), logo_stream=logo_stream)
        if verified_by is not None:
            verify_startup(startup, db.session.get(User, verified_by.id))
        return StartupRef(startup.id, startup.slug, startup.name, owner)


def make_startups(app, count: int, owner: UserRef, *, name: str = "Hàng loạt", locality: str | None = None,
                  **fields) -> None:
    """`count` startups named "<name> 1..count" for list-size tests: one transaction, same service."""
    values = {"sector": "software", "stage": "mvp", "province": HOME_PROVINCE, "tagline": "Phần mềm", **fields}
    if values["province"] == HOME_PROVINCE and "locality_id" not in values:
        values["locality_id"] = locality_id(app, locality or DEFAULT_LOCALITY)
    with app.app_context():
        user = db.session.get(User, owner.id)
        for number in range(1, count + 1):
            create_startup(user, StartupData(name=f"{name} {number}", **values), commit=False)
        db.session.commit()
