"""Scheduled delegation e-mails: "your offer expires soon" and "the roster is locked", each sent once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ecosystem.delegations import notices
from ecosystem.delegations.cli import bp as delegations_cli
from ecosystem.delegations.cli import run_periodic_tasks
from ecosystem.delegations.models import Application, ApplicationStatus, CallStatus, DelegationCall
from ecosystem.extensions import db
from ecosystem.mail.models import OutboxMessage
from ecosystem.timeutil import utcnow
from tests.concurrency import in_threads
from tests.delegations.review_support import make_application, make_call, make_offer
from tests.factories.startups import make_startup
from tests.factories.users import make_user
from tests.smtp_server import text_body


def mails(app, template: str) -> list[tuple[str, str]]:
    with app.app_context():
        return sorted(db.session.execute(
            select(OutboxMessage.recipient, OutboxMessage.subject).where(OutboxMessage.template == template)
        ).tuples())


def test_an_offer_about_to_expire_is_reminded_once(app, mailbox, deliver_mail):
    application_id, startup = make_offer(app, timedelta(hours=10))
    _later, _ = make_offer(app, timedelta(days=2))
    with app.test_request_context():
        assert notices.remind_expiring_offers() == 1
        assert notices.remind_expiring_offers() == 0
    assert [recipient for recipient, _subject in mails(app, "delegations/mail/offer_expiring")] == [
        startup.owner.email]
    deliver_mail()
    (message,) = mailbox.to(startup.owner.email)
    assert f"/techfest/applications/{application_id}" in text_body(message)


def test_a_new_offer_to_the_same_application_is_reminded_again(app):
    application_id, _startup = make_offer(app, timedelta(hours=10))
    with app.test_request_context():
        assert notices.remind_expiring_offers() == 1
        db.session.get(Application, application_id).offer_expires_at = utcnow() + timedelta(hours=20)
        db.session.commit()
        assert notices.remind_expiring_offers() == 1


def locked_call(app, *, locked_ago=timedelta(minutes=5), status=CallStatus.OPEN):
    """A call whose roster locked `locked_ago`, with an accepted application (owner and a member travel)
    and a reserve (who must not hear anything)."""
    call = make_call(app)
    startup = make_startup(app)
    member = make_user(app)
    make_application(app, call, startup=startup, allocation=call.allocations[1], status=ApplicationStatus.ACCEPTED,
                     travellers=[(startup.owner, "Nguyễn Thị Hoà", "0912345678"), (member, "Lê Văn Bình",
                                                                                    "0987654321")])
    reserve = make_startup(app)
    make_application(app, call, startup=reserve, allocation=call.allocations[1], status=ApplicationStatus.RESERVE)
    with app.app_context():
        row = db.session.get(DelegationCall, call.id)
        row.roster_locked_at, row.status = utcnow() - locked_ago, status
        db.session.commit()
    return call, startup, member, reserve


def test_a_locked_roster_is_announced_once_to_the_applicant_and_the_travellers(app, mailbox, deliver_mail):
    call, startup, member, reserve = locked_call(app)
    with app.test_request_context():
        assert notices.announce_locked_rosters() == 2
        assert notices.announce_locked_rosters() == 0
        assert db.session.get(DelegationCall, call.id).roster_lock_announced_at is not None
    assert [recipient for recipient, _ in mails(app, "delegations/mail/roster_locked")] == sorted(
        [startup.owner.email, member.email])
    deliver_mail()
    (message,) = mailbox.to(member.email)
    assert "Nguyễn Thị Hoà" in text_body(message) and "Lê Văn Bình" in text_body(message)
    assert mailbox.to(reserve.owner.email) == []


def test_rosters_not_yet_locked_or_of_closed_calls_are_not_announced(app):
    locked_call(app, locked_ago=-timedelta(days=1))
    locked_call(app, status=CallStatus.CLOSED)
    with app.test_request_context():
        assert notices.announce_locked_rosters() == 0


def test_periodic_tasks_and_the_command_run_outside_a_request(app):
    locked_call(app)
    make_offer(app, timedelta(hours=3))
    with app.app_context():
        assert run_periodic_tasks() == (0, 1, 2)
        assert run_periodic_tasks() == (0, 0, 0)
    result = app.test_cli_runner().invoke(delegations_cli.cli.commands["run-tasks"])
    assert result.exit_code == 0
    assert "offers expired: 0; offer reminders queued: 0; roster-locked mails queued: 0" in result.output


@pytest.mark.postgresql
@pytest.mark.committing
def test_two_workers_announcing_at_once_send_each_mail_once(app, monkeypatch):
    locked_call(app)
    barrier = threading.Barrier(2)
    original = notices._calls_to_announce

    def both_see_the_call(now):
        due = original(now)
        barrier.wait(10)  # both workers have found the call before either takes its lock
        return due

    monkeypatch.setattr(notices, "_calls_to_announce", both_see_the_call)
    queued, errors = in_threads(app, lambda: notices.announce_locked_rosters(), 2)
    assert errors == []
    assert sorted(queued) == [0, 2]
    with app.app_context():
        per_person = db.session.execute(
            select(OutboxMessage.recipient, func.count())
            .where(OutboxMessage.template == "delegations/mail/roster_locked").group_by(OutboxMessage.recipient)
        ).all()
    assert sorted(count for _recipient, count in per_person) == [1, 1]


def test_a_new_lock_date_is_announced_again(app):
    from ecosystem.delegations import calls

    call, _startup, _member, _reserve = locked_call(app)
    with app.test_request_context():
        assert notices.announce_locked_rosters() == 2
        row = db.session.get(DelegationCall, call.id)
        data = calls.CallData(**{name: getattr(row, name) for name in calls.CallData.__dataclass_fields__})
        data.roster_locked_at = utcnow() + timedelta(days=1)  # unlocked for one more day of swaps
        calls.update_call(row, data)
        assert db.session.get(DelegationCall, call.id).roster_lock_announced_at is None
        assert notices.announce_locked_rosters() == 0
        assert notices.announce_locked_rosters(utcnow() + timedelta(days=1, minutes=1)) == 2
