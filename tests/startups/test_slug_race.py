"""Two registrations of the same name at the same moment still get two slugs (PostgreSQL, real threads)."""

from __future__ import annotations

import threading
from functools import partial

import pytest

from ecosystem.auth.models import Role, User
from ecosystem.core import slugs as slug_rules
from ecosystem.extensions import db
from ecosystem.startups import profiles as startup_profiles
from ecosystem.startups import services
from ecosystem.startups.models import Startup
from tests.concurrency import race
from tests.factories import locality_id, make_user

pytestmark = [pytest.mark.postgresql, pytest.mark.committing]


def register_in_threads(app, owners, name: str, location: int) -> tuple[list[str], list[BaseException]]:
    slugs: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(owners))

    def register(owner_id: int) -> None:
        try:
            with app.app_context():
                start.wait(timeout=10)
                data = services.StartupData(name=name, sector="agritech", stage="idea", locality_id=location)
                startup = startup_profiles.create_startup(db.session.get(User, owner_id), data)
                slugs.append(startup.slug)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    race(*[partial(register, owner.id) for owner in owners], timeout=30)
    return slugs, errors


def test_two_simultaneous_registrations_that_pick_the_same_slug_both_succeed(app, monkeypatch):
    """Both threads choose "nong-san-dai-tu" before either inserts: the loser retries with "-2"."""
    owners = [make_user(app, roles=(Role.FOUNDER,)) for _ in range(2)]
    location = locality_id(app, "Xã Đại Từ")
    both_chose = threading.Barrier(2)
    chosen: list[str] = []
    original = slug_rules.free_slug

    def next_free_slug_after_both_chose(column, base: str, reserved=frozenset()) -> str:
        slug = original(column, base, reserved)
        chosen.append(slug)
        if len(chosen) <= 2:
            both_chose.wait(timeout=10)  # the first choice of each thread, made before either inserted
        return slug

    monkeypatch.setattr(slug_rules, "free_slug", next_free_slug_after_both_chose)
    slugs, errors = register_in_threads(app, owners, "Nông sản Đại Từ", location)
    assert errors == []
    assert sorted(slugs) == ["nong-san-dai-tu", "nong-san-dai-tu-2"]
    assert chosen[:2] == ["nong-san-dai-tu", "nong-san-dai-tu"]  # the clash really happened
    assert chosen[2:] == ["nong-san-dai-tu-2"]  # ... and was retried
    with app.app_context():
        startups = db.session.scalars(db.select(Startup).order_by(Startup.slug)).all()
        assert [len(startup.members) for startup in startups] == [1, 1]
        assert {startup.members[0].user_id for startup in startups} == {owner.id for owner in owners}


def test_eight_founders_registering_one_name_at_once_get_eight_slugs(app):
    owners = [make_user(app, roles=(Role.FOUNDER,)) for _ in range(8)]
    slugs, errors = register_in_threads(app, owners, "Chè Tân Cương", locality_id(app, "Xã Tân Cương"))
    assert errors == []
    assert sorted(slugs) == sorted(["che-tan-cuong", *(f"che-tan-cuong-{number}" for number in range(2, 9))])
