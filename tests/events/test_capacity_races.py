"""No overselling: 50 real threads race for 10 seats on PostgreSQL, with a negative control."""

import threading
import time
from datetime import timedelta
from functools import partial

import pytest

from ecosystem.auth.models import User
from ecosystem.events import registration as seats
from ecosystem.events.models import Event, EventStatus, Registration, RegistrationStatus, TicketType
from ecosystem.events.registration_checks import AttendeeRequest
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow
from tests.concurrency import at_hook, race, without_row_locks
from tests.factories import make_user

pytestmark = [pytest.mark.postgresql, pytest.mark.committing]


def make_event(app, capacity: int, price: int = 0) -> tuple[int, int]:
    with app.app_context():
        start = utcnow() + timedelta(days=7)
        event = Event(
            slug=f"dua-cho-{capacity}-{price}", title="Đêm gọi vốn", kind="pitching", status=EventStatus.PUBLISHED,
            starts_at=start, ends_at=start + timedelta(hours=3), search_name="dem goi von", search_text="dem goi von",
            ticket_types=[TicketType(name="Vé thường", capacity=capacity, price_vnd=price)],
        )
        db.session.add(event)
        db.session.commit()
        return event.id, event.ticket_types[0].id


def race_for_seats(app, event_id: int, ticket_type_id: int, user_ids: list[int]) -> list[Exception]:
    errors: list[Exception] = []
    start = threading.Barrier(len(user_ids))

    def attempt(user_id: int) -> None:
        with app.test_request_context():
            try:
                user = db.session.get(User, user_id)
                event = db.session.get(Event, event_id)
                start.wait(30)
                seats.register(event, user, [AttendeeRequest(user, ticket_type_id)])
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    race(*[partial(attempt, user_id) for user_id in user_ids], timeout=120)
    return errors


def statuses(app, event_id: int) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            db.select(Registration.status, db.func.count()).where(Registration.event_id == event_id)
            .group_by(Registration.status)
        ).all()
        return {status: count for status, count in rows}


@pytest.fixture
def fifty_members(app) -> list[int]:
    return [make_user(app, email=f"racer{number}@example.com").id for number in range(50)]


@pytest.fixture
def slow_counting(monkeypatch):
    """Widen the window between counting seats and writing, as a slow server would."""
    at_hook(monkeypatch, "events.seats_counted", lambda: time.sleep(0.02))


def test_fifty_threads_for_ten_seats_confirm_exactly_ten(app, fifty_members, slow_counting):
    event_id, ticket_type_id = make_event(app, capacity=10)
    errors = race_for_seats(app, event_id, ticket_type_id, fifty_members)
    assert errors == []
    assert statuses(app, event_id) == {RegistrationStatus.CONFIRMED: 10, RegistrationStatus.WAITLISTED: 40}


def test_negative_control_without_the_row_lock_the_same_race_oversells(app, fifty_members, slow_counting,
                                                                         monkeypatch):
    without_row_locks(monkeypatch, "events.seats")
    event_id, ticket_type_id = make_event(app, capacity=10)
    race_for_seats(app, event_id, ticket_type_id, fifty_members)
    assert statuses(app, event_id).get(RegistrationStatus.CONFIRMED, 0) > 10


def test_cancellations_racing_new_registrations_never_oversell(app, fifty_members, slow_counting):
    event_id, ticket_type_id = make_event(app, capacity=10)
    race_for_seats(app, event_id, ticket_type_id, fifty_members[:20])
    with app.app_context():
        confirmed_ids = list(db.session.scalars(
            db.select(Registration.id).where(Registration.event_id == event_id,
                                             Registration.status == RegistrationStatus.CONFIRMED)
        ))
    assert len(confirmed_ids) == 10

    errors: list[Exception] = []
    start = threading.Barrier(5 + 30)

    def cancel(registration_id: int) -> None:
        with app.test_request_context():
            try:
                start.wait(30)
                seats.cancel_registration(db.session.get(Registration, registration_id))
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                db.session.remove()

    def join(user_id: int) -> None:
        with app.test_request_context():
            try:
                user = db.session.get(User, user_id)
                event = db.session.get(Event, event_id)
                start.wait(30)
                seats.register(event, user, [AttendeeRequest(user, ticket_type_id)])
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                db.session.remove()

    race(*[partial(cancel, rid) for rid in confirmed_ids[:5]],
         *[partial(join, uid) for uid in fifty_members[20:]], timeout=120)
    assert errors == []
    counts = statuses(app, event_id)
    assert counts[RegistrationStatus.CONFIRMED] == 10  # freed seats went to the waitlist, never beyond
    assert counts[RegistrationStatus.CANCELLED] == 5
    assert counts[RegistrationStatus.WAITLISTED] == 50 - 10 - 5
    with app.app_context():
        # A freed seat goes to someone already in line, never to a newcomer who raced for it.
        first_race = db.session.scalars(
            db.select(Registration).where(Registration.event_id == event_id,
                                          Registration.attendee_id.in_(fifty_members[:20]))
        ).all()
        promoted = [registration for registration in first_race
                    if registration.status == RegistrationStatus.CONFIRMED and registration.id not in confirmed_ids]
        assert len(promoted) == 5
