"""Reminder e-mails 24 hours before an event: exactly once per person, also when runs overlap."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ecosystem.events import reminders
from ecosystem.events.cli import bp as events_cli
from ecosystem.events.models import EventStatus, Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.mail.models import OutboxMessage
from ecosystem.timeutil import utcnow
from tests.concurrency import in_threads
from tests.events.ticket_support import new_event, register
from tests.factories import make_user
from tests.smtp_server import text_body


def reminder_count(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.template == "events/mail/reminder")
        )


def test_reminders_go_to_confirmed_attendees_of_events_within_24_hours_once(app, mailbox, deliver_mail):
    soon_id, slug, _t = new_event(app, starts_in=timedelta(hours=20), capacity=2)
    later_id, _s, _t = new_event(app, starts_in=timedelta(days=3))
    draft_id, _s, _t = new_event(app, starts_in=timedelta(hours=5))
    first, second, waiting, later_person = (make_user(app, full_name="Đỗ Thu Trang", locale="en"),
                                            make_user(app), make_user(app), make_user(app))
    [(_id, _s, code)] = register(app, soon_id, first.id)
    register(app, soon_id, second.id)
    register(app, soon_id, waiting.id)  # waitlisted: no reminder
    register(app, later_id, later_person.id)  # starts in 3 days: not yet
    with app.app_context():
        cancelled_person = make_user(app)
    register(app, draft_id, cancelled_person.id)
    with app.app_context():
        from ecosystem.events.models import Event

        db.session.get(Event, draft_id).status = EventStatus.CANCELLED  # a cancelled event sends no reminder
        db.session.commit()
    deliver_mail()
    mailbox.clear()

    with app.test_request_context():
        assert reminders.send_reminders() == 2
        assert reminders.send_reminders() == 0  # the second run finds them already queued
    result = app.test_cli_runner().invoke(events_cli.cli.commands["remind"])
    assert result.exit_code == 0 and "reminders queued: 0" in result.output
    assert reminder_count(app) == 2
    deliver_mail()
    [message] = mailbox.wait_for(first.email)
    # (header folding of encoded words may drop a space when parsed back: compare without spaces)
    assert message["Subject"].replace(" ", "") == "Reminder: Hội thảo chuyển đổi số Thái Nguyên".replace(" ", "")
    assert f"/tickets/{code}" in text_body(message)
    assert len(mailbox.to(second.email)) == 1
    assert mailbox.to(waiting.email) == [] and mailbox.to(later_person.email) == []
    assert mailbox.to(cancelled_person.email) == []


def test_a_reminder_already_queued_is_not_queued_again_even_past_the_pre_check(app, monkeypatch):
    """The unique dedupe key is the backstop: an insert that loses the race is rolled back alone."""
    event_id, _slug, _t = new_event(app, starts_in=timedelta(hours=10))
    people = [make_user(app) for _ in range(3)]
    for person in people:
        register(app, event_id, person.id)
    with app.test_request_context():
        assert reminders.send_reminders() == 3
        everyone = list(db.session.scalars(select(Registration).where(Registration.event_id == event_id)))
        monkeypatch.setattr(reminders, "due_reminders", lambda now: everyone)  # pretend nothing was sent
        assert reminders.send_reminders() == 0
        assert all(registration.status == RegistrationStatus.CONFIRMED for registration in everyone)
    assert reminder_count(app) == 3


def test_expire_holds_command_runs(app):
    result = app.test_cli_runner().invoke(events_cli.cli.commands["expire-holds"])
    assert result.exit_code == 0 and "holds expired: 0" in result.output


@pytest.mark.postgresql
@pytest.mark.committing
def test_two_workers_at_once_send_one_reminder_per_person(app, monkeypatch):
    event_id, _slug, _t = new_event(app, starts_in=timedelta(hours=12))
    people = [make_user(app) for _ in range(6)]
    for person in people:
        register(app, event_id, person.id)
    barrier = threading.Barrier(2)
    original = reminders.due_reminders

    def both_see_everything_due(now):
        due = original(now)
        barrier.wait(10)  # both runs have passed the "already queued?" check before either inserts
        return due

    monkeypatch.setattr(reminders, "due_reminders", both_see_everything_due)
    queued, errors = in_threads(app, lambda: reminders.send_reminders(utcnow()), 2)
    assert errors == []
    assert sum(queued) == 6
    with app.app_context():
        per_person = db.session.execute(
            select(OutboxMessage.recipient, func.count()).where(OutboxMessage.template == "events/mail/reminder")
            .group_by(OutboxMessage.recipient)
        ).all()
    assert sorted(count for _recipient, count in per_person) == [1] * 6


def test_periodic_tasks_send_reminders_and_expire_holds_outside_a_request(app):
    from ecosystem.events.cli import run_periodic_tasks

    event_id, _slug, _t = new_event(app, starts_in=timedelta(hours=3))
    register(app, event_id, make_user(app).id)
    with app.app_context():
        assert run_periodic_tasks() == (1, 0)
        assert run_periodic_tasks() == (0, 0)
    assert reminder_count(app) == 1
