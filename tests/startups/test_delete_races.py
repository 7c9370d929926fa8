"""Deleting a startup or a team while an application to a Techfest delegation is written for it.

The check ("did it apply?") and the delete happen under the row's lock: an application being written
meanwhile waits for the lock and then fails on its foreign key; nothing written is lost. The negative
controls run the same race with the row lock replaced by a plain read: the check misses the application
and only the RESTRICT key stops the delete (with the old CASCADE key the application was deleted with it).
"""

from __future__ import annotations

import threading
import time
from functools import partial

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ecosystem.clubs import teams as club_teams
from ecosystem.clubs.models import Team
from ecosystem.delegations import applications as delegation_applications
from ecosystem.delegations.models import Application, ApplicationStatus, Category
from ecosystem.extensions import db
from ecosystem.startups import profiles as startup_profiles
from ecosystem.startups.models import Startup
from tests.concurrency import race, without_row_locks
from tests.factories import add_club_member, make_call, make_club, make_startup, make_team

pytestmark = [pytest.mark.postgresql, pytest.mark.committing]


def _race_delete_and_apply(app, monkeypatch, delete, application_fields: dict) -> dict[str, object]:
    call = make_call(app)
    inside = threading.Event()
    checked = delegation_applications.has_applied

    def checked_then_paused(**kwargs):
        result = checked(**kwargs)
        inside.set()
        time.sleep(0.6)
        return result

    monkeypatch.setattr(delegation_applications, "has_applied", checked_then_paused)
    outcome: dict[str, object] = {}

    def run(name, work):
        with app.test_request_context():
            try:
                if name == "apply":
                    assert inside.wait(20)
                outcome[name] = work()
            except Exception as error:  # noqa: BLE001 - asserted by the test
                db.session.rollback()
                outcome[name] = error
            finally:
                db.session.remove()

    def apply():
        application = Application(call_id=call.id, product_name="Máy sấy chè", category=Category.BOOTH,
                                  status=ApplicationStatus.SUBMITTED, **application_fields)
        db.session.add(application)
        db.session.commit()
        return application.id

    race(partial(run, "delete", delete), partial(run, "apply", apply), timeout=60)
    return outcome


def _applications(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Application))


def _delete_startup(app, monkeypatch):
    ref = make_startup(app)
    outcome = _race_delete_and_apply(
        app, monkeypatch, lambda: startup_profiles.delete_startup(db.session.get(Startup, ref.id)),
        {"startup_id": ref.id},
    )
    with app.app_context():
        exists = db.session.get(Startup, ref.id) is not None
    return outcome, exists


def test_a_startup_deleted_while_it_applies_loses_no_application(app, monkeypatch):
    outcome, exists = _delete_startup(app, monkeypatch)
    assert outcome["delete"] is None and not exists  # deleted: it had not applied when it was checked
    assert isinstance(outcome["apply"], IntegrityError)  # the application waited, then found no startup
    assert _applications(app) == 0


def test_negative_control_without_the_row_lock_the_check_misses_the_application(app, monkeypatch):
    without_row_locks(monkeypatch, "startups.startups")
    outcome, exists = _delete_startup(app, monkeypatch)
    assert isinstance(outcome["apply"], int)  # written between the check and the delete
    assert isinstance(outcome["delete"], IntegrityError) and exists  # only the RESTRICT key stopped the delete
    assert _applications(app) == 1


def _delete_team(app, monkeypatch):
    club = make_club(app)
    team = make_team(app, club, members=[add_club_member(app, club)])
    outcome = _race_delete_and_apply(
        app, monkeypatch, lambda: club_teams.delete_team(db.session.get(Team, team.id)), {"team_id": team.id}
    )
    with app.app_context():
        exists = db.session.get(Team, team.id) is not None
    return outcome, exists


def test_a_team_deleted_while_it_applies_loses_no_application(app, monkeypatch):
    outcome, exists = _delete_team(app, monkeypatch)
    assert outcome["delete"] is None and not exists
    assert isinstance(outcome["apply"], IntegrityError)
    assert _applications(app) == 0


def test_negative_control_without_the_row_lock_the_team_check_misses_the_application(app, monkeypatch):
    without_row_locks(monkeypatch, "clubs.teams")
    outcome, exists = _delete_team(app, monkeypatch)
    assert isinstance(outcome["apply"], int)
    assert isinstance(outcome["delete"], IntegrityError) and exists
    assert _applications(app) == 1
