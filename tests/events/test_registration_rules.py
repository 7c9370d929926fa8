"""Seat rules of events.registration, on both databases."""

from datetime import timedelta

import pytest

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
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow
from tests.factories import make_user


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
        requests = [seats.AttendeeRequest(buyer, ticket_type_id, answers or {})]
        requests += [seats.AttendeeRequest(db.session.get(User, other), ticket_type_id) for other in others]
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
        assert seats.expire_holds(utcnow() + timedelta(hours=1)) == 1
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
    with pytest.raises(seats.RegistrationError) as refused:
        register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale("en"):
            assert message in str(refused.value.message)
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 0


def test_per_person_limit_duplicates_and_required_answers(app):
    question = Question(label="Bạn đến từ đâu?", kind=QuestionKind.CHOICE, choices="Đại Từ\nPhổ Yên", required=True)
    event_id, ticket_id = new_event(app, capacity=10, limit=2, questions=[question])
    with app.app_context():
        question_id = db.session.scalar(db.select(Question.id))
    buyer, a, b = make_user(app), make_user(app), make_user(app)
    with pytest.raises(seats.RegistrationError):
        register(app, event_id, ticket_id, buyer.id)  # the required answer is missing
    with pytest.raises(seats.RegistrationError):
        register(app, event_id, ticket_id, buyer.id, answers={question_id: "Hà Nội"})  # not an offered choice
    with pytest.raises(seats.RegistrationError):
        register(app, event_id, ticket_id, buyer.id, answers={question_id: "Đại Từ"}, others=[a.id, b.id])  # 3 > 2
    assert register(app, event_id, ticket_id, buyer.id, answers={question_id: "Đại Từ"})
    with pytest.raises(seats.RegistrationError):
        register(app, event_id, ticket_id, buyer.id, answers={question_id: "Đại Từ"})  # already registered
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 1


def test_a_stranger_cannot_be_registered_by_someone_else(app):
    event_id, ticket_id = new_event(app, capacity=5, limit=5)
    buyer, stranger = make_user(app), make_user(app)
    with app.test_request_context():
        event, user = db.session.get(Event, event_id), db.session.get(User, buyer.id)
        with pytest.raises(seats.RegistrationError):
            seats.register(event, user, [seats.AttendeeRequest(db.session.get(User, stranger.id), ticket_id)])


def test_audience_restricted_tickets(app):
    event_id, ticket_id = new_event(app, audience=Audience.STARTUPS)
    with pytest.raises(seats.RegistrationError):
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
