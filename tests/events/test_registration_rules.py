"""Seat rules of events.registration, on both databases."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from ecosystem.auth.models import User
from ecosystem.events import registration as seats
from ecosystem.events.models import (
    Audience,
    Event,
    EventStatus,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    TicketType,
)
from ecosystem.events.registration_checks import AttendeeRequest, RegistrationError
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow
from tests.factories import add_club_member, make_club, make_startup, make_user


def new_event(app, capacity=2, price=0, approval=False, limit=1, audience=Audience.EVERYONE, questions=(),
              **fields) -> tuple[int, int]:
    with app.app_context():
        start = utcnow() + timedelta(days=3)
        event = Event(
            slug=f"su-kien-{utcnow().timestamp()}", title="Hội thảo chuyển đổi số", kind="workshop",
            status=fields.pop("status", EventStatus.PUBLISHED), starts_at=start, ends_at=start + timedelta(hours=2),
            search_name="hoi thao", search_text="hoi thao", questions=list(questions),
            ticket_types=[TicketType(name="Vé", capacity=capacity, price_vnd=price, requires_approval=approval,
                                     per_person_limit=limit, audience=audience)],
            **fields,
        )
        db.session.add(event)
        db.session.commit()
        return event.id, event.ticket_types[0].id


def register(app, event_id, ticket_type_id, user_id, answers=None, others=()):
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        buyer = db.session.get(User, user_id)
        requests = [AttendeeRequest(buyer, ticket_type_id, answers or {})]
        requests += [AttendeeRequest(db.session.get(User, other), ticket_type_id) for other in others]
        order = seats.register(event, buyer, requests, may_register_others=lambda buyer, other: True)
        return [(registration.id, registration.status) for registration in order.registrations]


def status_of(app, registration_id):
    with app.app_context():
        return db.session.get(Registration, registration_id).status


def test_seats_then_waitlist_then_promotion_on_cancel(app, mailbox, deliver_mail):
    event_id, ticket_id = new_event(app, capacity=2)
    users = [make_user(app) for _ in range(3)]
    results = [register(app, event_id, ticket_id, user.id)[0] for user in users]
    assert [status for _id, status in results] == ["confirmed", "confirmed", "waitlisted"]
    with app.test_request_context():
        promoted = seats.cancel_registration(db.session.get(Registration, results[0][0]))
        assert promoted.id == results[2][0]
    assert status_of(app, results[2][0]) == RegistrationStatus.CONFIRMED
    with app.app_context():
        assert db.session.get(Registration, results[2][0]).ticket_code
    deliver_mail()
    assert len(mailbox.to(users[2].email)) == 2  # waitlisted, then the ticket


def test_paid_seats_are_held_and_an_expired_hold_passes_to_the_next(app):
    event_id, ticket_id = new_event(app, capacity=1, price=300_000)
    first, second = make_user(app), make_user(app)
    [(first_id, first_status)] = register(app, event_id, ticket_id, first.id)
    [(second_id, second_status)] = register(app, event_id, ticket_id, second.id)
    assert (first_status, second_status) == ("awaiting-payment", "waitlisted")
    with app.test_request_context():
        hold = db.session.get(Registration, first_id).hold_expires_at
        assert seats.expire_holds(hold + timedelta(seconds=1)) == 1
    assert status_of(app, first_id) == RegistrationStatus.CANCELLED
    assert status_of(app, second_id) == RegistrationStatus.AWAITING_PAYMENT
    with app.test_request_context():
        # The first person's payment arrives late: the seat is gone, the caller must refund.
        assert seats.confirm_payment(db.session.get(Registration, first_id)) is False
        assert seats.confirm_payment(db.session.get(Registration, second_id)) is True
        assert seats.confirm_payment(db.session.get(Registration, second_id)) is True  # idempotent
        db.session.commit()
    assert status_of(app, second_id) == RegistrationStatus.CONFIRMED


def test_approval_then_ticket(app):
    event_id, ticket_id = new_event(app, approval=True)
    [(registration_id, status)] = register(app, event_id, ticket_id, make_user(app).id)
    assert status == "pending-approval"
    with app.test_request_context():
        seats.approve_registration(db.session.get(Registration, registration_id))
    assert status_of(app, registration_id) == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize("fields, message", [
    ({"status": EventStatus.DRAFT}, "not open"),
    ({"status": EventStatus.CANCELLED}, "cancelled"),
    ({"registration_closes_at": utcnow() - timedelta(hours=1)}, "not open"),
    ({"registration_opens_at": utcnow() + timedelta(days=1)}, "not open"),
])
def test_registration_outside_its_window_is_refused(app, fields, message):
    event_id, ticket_id = new_event(app, **fields)
    with pytest.raises(RegistrationError) as refused:
        register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        with force_locale("en"):
            assert message in str(refused.value.message)
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 0


def test_per_person_limit_duplicates_and_required_answers(app):
    question = Question(label="Bạn đến từ đâu?", kind=QuestionKind.CHOICE, choices="Đại Từ\nPhổ Yên", required=True)
    event_id, ticket_id = new_event(app, capacity=10, limit=2, questions=[question])
    with app.app_context():
        question_id = db.session.scalar(db.select(Question.id))
    buyer, a, b = make_user(app), make_user(app), make_user(app)
    with pytest.raises(RegistrationError):
        register(app, event_id, ticket_id, buyer.id)  # the required answer is missing
    with pytest.raises(RegistrationError):
        register(app, event_id, ticket_id, buyer.id, answers={question_id: "Hà Nội"})  # not an offered choice
    with pytest.raises(RegistrationError):
        register(app, event_id, ticket_id, buyer.id, answers={question_id: "Đại Từ"}, others=[a.id, b.id])  # 3 > 2
    assert register(app, event_id, ticket_id, buyer.id, answers={question_id: "Đại Từ"})
    with pytest.raises(RegistrationError):
        register(app, event_id, ticket_id, buyer.id, answers={question_id: "Đại Từ"})  # already registered
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 1


def test_a_stranger_cannot_be_registered_by_someone_else(app):
    event_id, ticket_id = new_event(app, capacity=5, limit=5)
    buyer, stranger = make_user(app), make_user(app)
    with app.test_request_context():
        event, user = db.session.get(Event, event_id), db.session.get(User, buyer.id)
        with pytest.raises(RegistrationError):
            seats.register(event, user, [AttendeeRequest(db.session.get(User, stranger.id), ticket_id)])


def test_audience_restricted_tickets(app):
    event_id, ticket_id = new_event(app, audience=Audience.STARTUPS)
    with pytest.raises(RegistrationError):
        register(app, event_id, ticket_id, make_user(app).id)


def test_overall_event_capacity_caps_every_ticket_type(app):
    event_id, ticket_id = new_event(app, capacity=5)
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.capacity = 1
        db.session.commit()
    first = register(app, event_id, ticket_id, make_user(app).id)
    second = register(app, event_id, ticket_id, make_user(app).id)
    assert (first[0][1], second[0][1]) == ("confirmed", "waitlisted")


def test_live_counts(app):
    event_id, ticket_id = new_event(app, capacity=1)
    register(app, event_id, ticket_id, make_user(app).id)
    register(app, event_id, ticket_id, make_user(app).id)
    with app.app_context():
        counts = seats.seat_counts(db.session.get(Event, event_id))
    assert (counts["registered"], counts["waitlisted"], counts["checked_in"]) == (1, 1, 0)


@contextmanager
def refused(app, pattern: str):
    """Expect a RegistrationError whose whole English message is `pattern` (or matches it)."""
    with pytest.raises(RegistrationError) as error:
        yield
    with app.test_request_context(), force_locale("en"):
        message = str(error.value.message)
    assert message == pattern or re.fullmatch(pattern, message), message


def two_type_event(app, first: dict, second: dict, **fields) -> tuple[int, int, int]:
    """An event with two ticket types: (event id, first type id, second type id)."""
    with app.app_context():
        start = utcnow() + timedelta(days=3)
        event = Event(
            slug=f"hai-loai-ve-{utcnow().timestamp()}", title="Ngày hội khởi nghiệp", kind="conference",
            status=EventStatus.PUBLISHED, starts_at=start, ends_at=start + timedelta(hours=5),
            search_name="ngay hoi", search_text="ngay hoi",
            ticket_types=[TicketType(name="Vé A", **{"capacity": 1, **first}),
                          TicketType(name="Vé B", position=1, **{"capacity": 1, **second})],
            **fields,
        )
        db.session.add(event)
        db.session.commit()
        return event.id, event.ticket_types[0].id, event.ticket_types[1].id


def test_each_ticket_type_counts_its_own_seats(app):
    event_id, first_type, second_type = two_type_event(app, {"capacity": 1}, {"capacity": 2})
    assert register(app, event_id, first_type, make_user(app).id)[0][1] == "confirmed"
    # The first type is full; the second still has its two seats, whatever the first holds.
    assert register(app, event_id, second_type, make_user(app).id)[0][1] == "confirmed"
    assert register(app, event_id, second_type, make_user(app).id)[0][1] == "confirmed"
    assert register(app, event_id, first_type, make_user(app).id)[0][1] == "waitlisted"
    assert register(app, event_id, second_type, make_user(app).id)[0][1] == "waitlisted"


def test_the_event_capacity_counts_every_type_together(app):
    event_id, first_type, second_type = two_type_event(app, {"capacity": 3}, {"capacity": 3}, capacity=2)
    assert register(app, event_id, first_type, make_user(app).id)[0][1] == "confirmed"
    assert register(app, event_id, second_type, make_user(app).id)[0][1] == "confirmed"
    assert register(app, event_id, second_type, make_user(app).id)[0][1] == "waitlisted"


def test_the_per_person_limit_counts_each_ticket_type_apart(app):
    event_id, first_type, second_type = two_type_event(
        app, {"capacity": 5, "per_person_limit": 1}, {"capacity": 5, "per_person_limit": 2}
    )
    buyer, a, b, c = (make_user(app) for _ in range(4))
    register(app, event_id, first_type, buyer.id)  # the buyer's one ticket of type A
    with app.test_request_context():
        event, user = db.session.get(Event, event_id), db.session.get(User, buyer.id)

        def order(*attendees):
            return seats.register(event, user, [AttendeeRequest(db.session.get(User, person.id), type_id)
                                                for person, type_id in attendees],
                                  may_register_others=lambda buyer, other: True)

        assert len(order((a, second_type), (b, second_type)).registrations) == 2  # type B: 0 + 2 <= 2
        with refused(app, "One person may order at most 2 ticket(s) of “Vé B”."):
            order((c, second_type))  # type B: 2 + 1 > 2
        with refused(app, "One person may order at most 1 ticket(s) of “Vé A”."):
            order((c, first_type))  # type A: 1 + 1 > 1
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 3


def test_cancelled_tickets_do_not_count_against_the_per_person_limit(app):
    event_id, ticket_id = new_event(app, capacity=5, limit=1)
    buyer = make_user(app)
    [(first_id, _status)] = register(app, event_id, ticket_id, buyer.id)
    with app.test_request_context():
        seats.cancel_registration(db.session.get(Registration, first_id))
    assert register(app, event_id, ticket_id, buyer.id)[0][1] == "confirmed"


def test_audience_restricted_tickets_for_people_who_qualify(app):
    event_id, founders_type, students_type = two_type_event(
        app, {"capacity": 5, "audience": Audience.STARTUPS}, {"capacity": 5, "audience": Audience.STUDENTS}
    )
    founder = make_user(app)
    make_startup(app, owner=founder)
    student = add_club_member(app, make_club(app))
    assert register(app, event_id, founders_type, founder.id)[0][1] == "confirmed"
    assert register(app, event_id, students_type, student.id)[0][1] == "confirmed"
    # Each qualifies only for their own audience.
    with refused(app, "The ticket “Vé A” is reserved for founders of a startup."):
        register(app, event_id, founders_type, student.id)
    other_founder = make_user(app)
    make_startup(app, owner=other_founder)
    with refused(app, "The ticket “Vé B” is reserved for students of a university club."):
        register(app, event_id, students_type, other_founder.id)


def test_a_paid_seat_is_held_then_the_ticket_clears_the_hold(app):
    event_id, ticket_id = new_event(app, capacity=1, price=200_000)
    [(registration_id, status)] = register(app, event_id, ticket_id, make_user(app).id)
    assert status == "awaiting-payment"
    with app.test_request_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.hold_expires_at > utcnow() and registration.ticket_code is None
        assert seats.confirm_payment(registration) is True
        db.session.commit()
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.status == RegistrationStatus.CONFIRMED
        assert registration.hold_expires_at is None and registration.ticket_code and registration.confirmed_at


def test_a_hold_expires_only_once_its_time_has_passed(app):
    event_id, ticket_id = new_event(app, capacity=1, price=200_000)
    [(held_id, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    [(waiting_id, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        hold = db.session.get(Registration, held_id).hold_expires_at
        assert seats.expire_holds(hold - timedelta(minutes=1)) == 0
        assert seats.expire_holds(hold) == 0  # the hold runs until its last instant
    assert status_of(app, held_id) == RegistrationStatus.AWAITING_PAYMENT
    assert status_of(app, waiting_id) == RegistrationStatus.WAITLISTED
    with app.test_request_context():
        assert seats.expire_holds(hold + timedelta(microseconds=1)) == 1
        assert seats.expire_holds(hold + timedelta(days=1)) == 0  # nothing twice
    with app.app_context():
        expired = db.session.get(Registration, held_id)
        assert expired.status == RegistrationStatus.CANCELLED
        assert expired.cancelled_at == hold + timedelta(microseconds=1)
        promoted = db.session.get(Registration, waiting_id)
        assert promoted.status == RegistrationStatus.AWAITING_PAYMENT and promoted.hold_expires_at > hold


def test_confirmed_tickets_never_expire(app):
    event_id, ticket_id = new_event(app, capacity=2, price=200_000)
    [(paid_id, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        hold = db.session.get(Registration, paid_id).hold_expires_at
        # A confirmed ticket that kept an old hold time (written before holds were cleared) stays confirmed.
        _changed_meanwhile(Registration, paid_id, status=RegistrationStatus.CONFIRMED)
        assert seats.expire_holds(hold + timedelta(days=1)) == 0
    assert status_of(app, paid_id) == RegistrationStatus.CONFIRMED


def test_promotion_from_the_waitlist_gets_the_longer_hold(app):
    event_id, ticket_id = new_event(app, capacity=1, price=200_000)
    [(first_id, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    [(second_id, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        seats.cancel_registration(db.session.get(Registration, first_id))
        promoted = db.session.get(Registration, second_id)
        assert promoted.status == RegistrationStatus.AWAITING_PAYMENT
        expected = seats.payment_hold(event, True)
        assert abs(promoted.hold_expires_at - (utcnow() + expected)) < timedelta(minutes=1)
        assert seats.payment_hold(event, True) >= seats.payment_hold(event, False)


def test_the_default_holds(app):
    with app.app_context():
        event = Event(title="x")
        assert seats.default_payment_hold(event, False) == timedelta(minutes=30)
        assert seats.default_payment_hold(event, True) == timedelta(hours=48)


def test_approval_of_a_paid_ticket_holds_the_seat_for_payment(app, mailbox, deliver_mail):
    event_id, ticket_id = new_event(app, approval=True, price=150_000)
    person = make_user(app)
    [(registration_id, status)] = register(app, event_id, ticket_id, person.id)
    assert status == "pending-approval"
    with app.test_request_context():
        seats.approve_registration(db.session.get(Registration, registration_id))
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.status == RegistrationStatus.AWAITING_PAYMENT and registration.ticket_code is None
        assert registration.hold_expires_at > utcnow() + timedelta(minutes=31)  # the longer, promoted hold
    deliver_mail()
    assert len(mailbox.to(person.email)) == 2  # awaiting approval, then "pay to keep your seat"
    with app.test_request_context(), refused(app, "This registration is not waiting for approval."):
        seats.approve_registration(db.session.get(Registration, registration_id))


# --- What changed between the caller's read and the lock (another request committed meanwhile) -------------


def _changed_meanwhile(table, row_id, **values):
    """Write and commit `values` behind the session's back, as a concurrent request would: what the session
    read before stays in memory."""
    session = db.session()
    session.execute(update(table.__table__).where(table.__table__.c.id == row_id).values(**values))
    session.expire_on_commit = False
    session.commit()
    session.expire_on_commit = True


@pytest.mark.parametrize("values, message", [
    ({"status": EventStatus.CANCELLED}, "This event is cancelled."),
    ({"registration_closes_at": utcnow() - timedelta(minutes=1)}, "Registration for this event is not open."),
    ({"status": EventStatus.DRAFT}, "Registration for this event is not open."),
])
def test_register_checks_the_event_again_under_the_lock(app, values, message):
    event_id, ticket_id = new_event(app, capacity=5)
    person = make_user(app)
    with app.test_request_context():
        event, user = db.session.get(Event, event_id), db.session.get(User, person.id)
        assert event.status == EventStatus.PUBLISHED  # what the page saw
        _changed_meanwhile(Event, event_id, **values)
        with refused(app, message):
            seats.register(event, user, [AttendeeRequest(user, ticket_id)])
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 0


def test_register_sees_a_ticket_type_deleted_meanwhile(app):
    event_id, first_type, second_type = two_type_event(app, {}, {})
    person = make_user(app)
    with app.test_request_context():
        event, user = db.session.get(Event, event_id), db.session.get(User, person.id)
        assert len(event.ticket_types) == 2
        db.session.execute(db.delete(TicketType.__table__).where(TicketType.__table__.c.id == second_type))
        db.session().expire_on_commit = False
        db.session.commit()
        db.session().expire_on_commit = True
        with refused(app, "Choose a ticket type of this event."):
            seats.register(event, user, [AttendeeRequest(user, second_type)])
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 0


def test_register_sees_a_capacity_lowered_meanwhile(app):
    event_id, ticket_id = new_event(app, capacity=5)
    register(app, event_id, ticket_id, make_user(app).id)
    person = make_user(app)
    with app.test_request_context():
        event, user = db.session.get(Event, event_id), db.session.get(User, person.id)
        ticket_type = event.ticket_types[0]  # the caller holds the ticket type as it read it
        assert ticket_type.capacity == 5
        _changed_meanwhile(TicketType, ticket_id, capacity=1)
        order = seats.register(event, user, [AttendeeRequest(user, ticket_id)])
        assert order.registrations[0].status == RegistrationStatus.WAITLISTED
        assert ticket_type.capacity == 1


def test_approval_of_a_registration_cancelled_meanwhile_is_refused(app):
    event_id, ticket_id = new_event(app, capacity=1, approval=True)
    [(registration_id, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.status == RegistrationStatus.PENDING_APPROVAL  # what the organiser's page saw
        _changed_meanwhile(Registration, registration_id, status=RegistrationStatus.CANCELLED)
        with refused(app, "This registration is not waiting for approval."):
            seats.approve_registration(registration)
    assert status_of(app, registration_id) == RegistrationStatus.CANCELLED
    with app.app_context():
        assert db.session.get(Registration, registration_id).ticket_code is None


@pytest.mark.parametrize("status", [RegistrationStatus.CHECKED_IN, RegistrationStatus.CANCELLED])
def test_cancelling_a_ticket_checked_in_or_cancelled_meanwhile_is_refused(app, status):
    event_id, ticket_id = new_event(app, capacity=1)
    [(registration_id, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    [(waiting_id, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.status == RegistrationStatus.CONFIRMED  # what the attendee's page saw
        _changed_meanwhile(Registration, registration_id, status=status)
        with refused(app, "This registration cannot be cancelled any more."):
            seats.cancel_registration(registration)
    assert status_of(app, registration_id) == status
    assert status_of(app, waiting_id) == RegistrationStatus.WAITLISTED  # nobody promoted into a seat still taken


def test_cancelling_a_waitlist_place_promotes_nobody(app):
    event_id, ticket_id = new_event(app, capacity=1)
    [(seated_id, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    [(first_waiting, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    [(second_waiting, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        assert seats.cancel_registration(db.session.get(Registration, first_waiting)) is None
    assert status_of(app, second_waiting) == RegistrationStatus.WAITLISTED
    assert status_of(app, seated_id) == RegistrationStatus.CONFIRMED


def test_a_cancellation_clears_the_hold(app):
    event_id, ticket_id = new_event(app, capacity=1, price=100_000)
    [(registration_id, _status)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        seats.cancel_registration(db.session.get(Registration, registration_id))
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.status == RegistrationStatus.CANCELLED
        assert registration.hold_expires_at is None and registration.cancelled_at is not None
