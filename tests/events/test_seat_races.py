"""Seat decisions racing each other on PostgreSQL, each with a negative control that shows the race bites.

Every test runs two real threads: one is paused inside its transaction (after it took its locks and wrote,
by a test-only hook or a signal), the other starts then. With the locks on, the second waits and decides on
what the first committed; with the row locks off (the negative control, `tests.concurrency.without_row_locks`)
it decides on what it read before and the damage is visible.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ecosystem.auth.models import User
from ecosystem.events import management, registration_mail, ticket_types, tickets
from ecosystem.events import registration as seats
from ecosystem.events.models import Event, EventStatus, Registration, RegistrationStatus, TicketType
from ecosystem.events.registration_checks import AttendeeRequest, RegistrationError
from ecosystem.events.signals import registration_cancelled
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow
from tests.concurrency import at_hook, race, without_row_locks
from tests.factories import make_user

pytestmark = [pytest.mark.postgresql, pytest.mark.committing]

PAUSE = 0.6  # how long the first thread holds its transaction open once it is inside


def make_event(app, *types: dict, **fields) -> tuple[int, list[int]]:
    with app.app_context():
        start = utcnow() + timedelta(days=5)
        event = Event(
            slug=f"dua-ghe-{utcnow().timestamp()}", title="Ngày hội gọi vốn", kind="pitching",
            status=EventStatus.PUBLISHED, starts_at=start, ends_at=start + timedelta(hours=4),
            search_name="ngay hoi goi von", search_text="ngay hoi goi von",
            ticket_types=[TicketType(name=f"Vé {number}", position=number, **{"capacity": 10, **values})
                          for number, values in enumerate(types or ({},))],
            **fields,
        )
        db.session.add(event)
        db.session.commit()
        return event.id, [ticket_type.id for ticket_type in event.ticket_types]


def register(app, event_id: int, ticket_type_id: int, buyer_id: int, *others: int) -> list[int]:
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        buyer = db.session.get(User, buyer_id)
        people = list(others) or [buyer_id]  # the buyer orders for `others`, or for themselves
        order = seats.register(
            event, buyer, [AttendeeRequest(db.session.get(User, person), ticket_type_id) for person in people],
            may_register_others=lambda buyer, other: True,
        )
        return [registration.id for registration in order.registrations]


def statuses(app, event_id: int) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(Registration.status, func.count()).where(Registration.event_id == event_id)
            .group_by(Registration.status)
        ).all()
        return dict(rows)


def status_of(app, registration_id: int) -> str:
    with app.app_context():
        return db.session.get(Registration, registration_id).status


class Pause:
    """Called inside the first thread's transaction: says it is inside, then holds the transaction open."""

    def __init__(self, thread_name: str = "first") -> None:
        self.thread_name = thread_name
        self.inside = threading.Event()

    def __call__(self, *args, **kwargs) -> None:
        if threading.current_thread().name == self.thread_name and not self.inside.is_set():
            self.inside.set()
            time.sleep(PAUSE)


def race_paused(app, first: Callable[[], object], second: Callable[[], object], pause: Pause) -> dict[str, object]:
    """Run `first` in a thread; once it is inside its transaction (`pause`), run `second` in another.
    Returns each one's result or the exception it raised."""
    outcome: dict[str, object] = {}

    def run(name: str, work: Callable[[], object]) -> None:
        threading.current_thread().name = name  # what `Pause` looks for
        with app.test_request_context():
            try:
                if name == "second":
                    assert pause.inside.wait(20), "the first thread never got inside"
                outcome[name] = work()
            except Exception as error:  # noqa: BLE001 - returned to the test
                outcome[name] = error
            finally:
                db.session.remove()

    race(partial(run, "first", first), partial(run, "second", second), timeout=60)
    return outcome


@pytest.fixture
def locks_off(monkeypatch):
    without_row_locks(monkeypatch, "events.seats")


# --- 6. A registration racing the event's cancellation ------------------------------------------------------


def _register_during_cancellation(app):
    event_id, [ticket_id] = make_event(app)
    early, late = make_user(app), make_user(app)
    register(app, event_id, ticket_id, early.id)
    pause = Pause()

    def cancel():
        return management.cancel_event(db.session.get(Event, event_id))

    def join():
        return register(app, event_id, ticket_id, late.id)

    with registration_cancelled.connected_to(pause):  # sent for each registration, the event's row locked
        outcome = race_paused(app, cancel, join, pause)
    return event_id, outcome


def test_a_registration_racing_the_cancellation_is_refused(app):
    event_id, outcome = _register_during_cancellation(app)
    assert outcome["first"] == 1
    assert isinstance(outcome["second"], RegistrationError)
    assert statuses(app, event_id) == {RegistrationStatus.CANCELLED: 1}


def test_negative_control_without_the_lock_a_ticket_is_issued_in_the_cancelled_event(app, locks_off):
    event_id, outcome = _register_during_cancellation(app)
    assert outcome["first"] == 1 and isinstance(outcome["second"], list)
    with app.app_context():
        assert db.session.get(Event, event_id).status == EventStatus.CANCELLED
    assert statuses(app, event_id) == {RegistrationStatus.CANCELLED: 1, RegistrationStatus.CONFIRMED: 1}


# --- 7. Approval racing a cancellation; a cancellation racing a check-in -----------------------------------


def _approve_during_cancellation(app, monkeypatch):
    event_id, [ticket_id] = make_event(app, {"capacity": 1, "requires_approval": True})
    [pending_id] = register(app, event_id, ticket_id, make_user(app).id)
    [waiting_id] = register(app, event_id, ticket_id, make_user(app).id)
    assert (status_of(app, pending_id), status_of(app, waiting_id)) == ("pending-approval", "waitlisted")
    pause = Pause()
    at_hook(monkeypatch, "events.seats_counted", pause)  # the cancellation promotes the next in line

    def cancel():
        return seats.cancel_registration(db.session.get(Registration, pending_id)).id

    def approve():
        return seats.approve_registration(db.session.get(Registration, pending_id))

    outcome = race_paused(app, cancel, approve, pause)
    return event_id, pending_id, waiting_id, outcome


def test_an_approval_racing_a_cancellation_does_not_resurrect_it(app, monkeypatch):
    event_id, pending_id, waiting_id, outcome = _approve_during_cancellation(app, monkeypatch)
    assert outcome["first"] == waiting_id  # the freed seat went to the next in line
    assert isinstance(outcome["second"], RegistrationError)
    assert status_of(app, pending_id) == RegistrationStatus.CANCELLED
    assert status_of(app, waiting_id) == RegistrationStatus.PENDING_APPROVAL
    assert statuses(app, event_id) == {RegistrationStatus.CANCELLED: 1, RegistrationStatus.PENDING_APPROVAL: 1}


def test_negative_control_without_the_lock_the_approval_resurrects_and_overbooks(app, monkeypatch, locks_off):
    event_id, pending_id, waiting_id, outcome = _approve_during_cancellation(app, monkeypatch)
    assert outcome["second"] is None  # approved
    assert status_of(app, pending_id) == RegistrationStatus.CONFIRMED  # cancelled, then approved anyway
    assert status_of(app, waiting_id) == RegistrationStatus.PENDING_APPROVAL  # two seats of a capacity of 1


def _cancel_during_check_in(app, monkeypatch):
    event_id, [ticket_id] = make_event(app)
    [registration_id] = register(app, event_id, ticket_id, make_user(app).id)
    staff = make_user(app)
    with app.app_context():
        code = db.session.get(Registration, registration_id).ticket_code
    pause = Pause()
    at_hook(monkeypatch, "events.ticket_read", pause)  # the ticket's row locked, not yet checked in

    def check_in():
        return tickets.check_in(db.session.get(Event, event_id), code, db.session.get(User, staff.id)).ok

    def cancel():
        return seats.cancel_registration(db.session.get(Registration, registration_id))

    return registration_id, race_paused(app, check_in, cancel, pause)


def test_a_cancellation_racing_the_check_in_leaves_the_ticket_checked_in(app, monkeypatch):
    registration_id, outcome = _cancel_during_check_in(app, monkeypatch)
    assert outcome["first"] is True
    assert isinstance(outcome["second"], RegistrationError)
    assert status_of(app, registration_id) == RegistrationStatus.CHECKED_IN


def test_negative_control_without_the_lock_a_checked_in_ticket_is_cancelled(app, monkeypatch, locks_off):
    registration_id, outcome = _cancel_during_check_in(app, monkeypatch)
    assert outcome["first"] is True and outcome["second"] is None
    assert status_of(app, registration_id) == RegistrationStatus.CANCELLED  # the person at the door is out


# --- 8. The per-person limit under concurrent orders --------------------------------------------------------


def _two_orders_at_once(app, monkeypatch):
    event_id, [ticket_id] = make_event(app, {"capacity": 20, "per_person_limit": 2})
    buyer = make_user(app)
    people = [make_user(app).id for _ in range(4)]
    pause = Pause()
    at_hook(monkeypatch, "events.seats_counted", pause)
    outcome = race_paused(app, lambda: register(app, event_id, ticket_id, buyer.id, *people[:2]),
                   lambda: register(app, event_id, ticket_id, buyer.id, *people[2:]), pause)
    return event_id, outcome


def test_two_orders_at_once_stay_within_the_per_person_limit(app, monkeypatch):
    event_id, outcome = _two_orders_at_once(app, monkeypatch)
    assert len(outcome["first"]) == 2
    assert isinstance(outcome["second"], RegistrationError)
    assert statuses(app, event_id) == {RegistrationStatus.CONFIRMED: 2}


def test_negative_control_without_the_lock_two_orders_get_four_tickets_against_a_limit_of_two(
        app, monkeypatch, locks_off):
    event_id, outcome = _two_orders_at_once(app, monkeypatch)
    assert len(outcome["first"]) == 2 and len(outcome["second"]) == 2
    assert statuses(app, event_id) == {RegistrationStatus.CONFIRMED: 4}


# --- 9. Deleting a ticket type while someone registers with it --------------------------------------------


def _delete_type_during_registration(app, monkeypatch):
    event_id, [kept_type, deleted_type] = make_event(app, {}, {})
    person = make_user(app)
    pause = Pause()
    count = ticket_types._registrations_of_type

    def counted_then_paused(ticket_type):
        result = count(ticket_type)
        pause()
        return result

    monkeypatch.setattr(ticket_types, "_registrations_of_type", counted_then_paused)

    def delete():
        return ticket_types.delete_ticket_type(db.session.get(Event, event_id), deleted_type)

    outcome = race_paused(app, delete, lambda: register(app, event_id, deleted_type, person.id), pause)
    return event_id, deleted_type, outcome


def test_a_registration_racing_the_ticket_types_delete_is_refused_cleanly(app, monkeypatch):
    event_id, deleted_type, outcome = _delete_type_during_registration(app, monkeypatch)
    assert outcome["first"] is None  # deleted: nobody had registered with it
    assert isinstance(outcome["second"], RegistrationError)  # not a KeyError (a 500)
    with app.app_context():
        assert db.session.get(TicketType, deleted_type) is None
    assert statuses(app, event_id) == {}


def test_negative_control_without_the_lock_the_guard_misses_the_new_registration(app, monkeypatch, locks_off):
    event_id, deleted_type, outcome = _delete_type_during_registration(app, monkeypatch)
    assert isinstance(outcome["second"], list)  # registered while the delete was between its check and its delete
    # The guard saw nobody; only the RESTRICT key stops the delete (with the old CASCADE key the ticket was gone).
    assert isinstance(outcome["first"], IntegrityError)
    with app.app_context():
        assert db.session.get(TicketType, deleted_type) is not None
    assert statuses(app, event_id) == {RegistrationStatus.CONFIRMED: 1}


# --- No rendering while the event's row is locked --------------------------------------------------------


def test_tickets_are_rendered_and_queued_after_the_event_is_unlocked(app, monkeypatch):
    """Rendering a ticket e-mail (QR code, calendar file) happens once the seats are committed: another
    connection can lock the event's row at that moment (NOWAIT fails while the row is held)."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    event_id, [ticket_id, paid_type] = make_event(app, {"capacity": 1}, {"price_vnd": 50_000, "capacity": 5})
    notify = registration_mail.notify
    held_while_rendering: list[bool] = []

    def notify_and_probe(registration, event, attendee):
        with db.engine.connect() as other:
            try:
                other.execute(text("SELECT id FROM events WHERE id = :id FOR UPDATE NOWAIT"), {"id": event_id})
                held_while_rendering.append(False)
            except OperationalError:
                held_while_rendering.append(True)
            other.rollback()
        return notify(registration, event, attendee)

    monkeypatch.setattr(registration_mail, "notify", notify_and_probe)
    [first] = register(app, event_id, ticket_id, make_user(app).id)  # a ticket
    [waiting] = register(app, event_id, ticket_id, make_user(app).id)  # the waitlist
    with app.test_request_context():
        seats.cancel_registration(db.session.get(Registration, first))  # a promotion
    [held] = register(app, event_id, paid_type, make_user(app).id)  # a seat held for payment
    with app.test_request_context():
        seats.expire_holds(utcnow() + timedelta(days=30))
    assert status_of(app, waiting) == RegistrationStatus.CONFIRMED
    assert status_of(app, held) == RegistrationStatus.CANCELLED
    assert held_while_rendering == [False] * 4
