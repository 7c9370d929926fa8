"""Details of the seat decisions that mutation testing found unpinned (`make mutation`): who is promoted,
which hold is asked for, when a hold has run out, when a late payment gets its seat back, the live counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ecosystem.auth.models import User
from ecosystem.events import management
from ecosystem.events import registration as seats
from ecosystem.events.models import Event, Registration, RegistrationStatus
from ecosystem.events.registration_checks import AttendeeRequest, RegistrationError
from ecosystem.events.signals import registration_cancelled
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow
from tests.events.test_registration_rules import (
    _changed_meanwhile,
    new_event,
    register,
    status_of,
    two_type_event,
)
from tests.factories import make_user


def _registration(registration_id: int) -> Registration:
    return db.session.get(Registration, registration_id)


# --- Promotion ------------------------------------------------------------------------------------------


def test_a_freed_seat_goes_to_the_waitlist_of_its_own_ticket_type(app):
    event_id, first_type, second_type = two_type_event(app, {"capacity": 1}, {"capacity": 1})
    [(first_id, _s)] = register(app, event_id, first_type, make_user(app).id)
    register(app, event_id, second_type, make_user(app).id)
    [(other_waiting, _s)] = register(app, event_id, second_type, make_user(app).id)
    with app.test_request_context():
        assert seats.cancel_registration(_registration(first_id)) is None  # nobody waits for the first type
    assert status_of(app, other_waiting) == RegistrationStatus.WAITLISTED


def test_cancelling_a_waitlist_place_frees_no_seat_even_when_one_is_free(app):
    event_id, ticket_id = new_event(app, capacity=1)
    register(app, event_id, ticket_id, make_user(app).id)
    [(first_waiting, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    [(second_waiting, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        from ecosystem.events.models import TicketType

        _changed_meanwhile(TicketType, ticket_id, capacity=3)  # seats free, nobody promoted yet
        assert seats.cancel_registration(_registration(first_waiting)) is None
    assert status_of(app, second_waiting) == RegistrationStatus.WAITLISTED


def test_each_decision_asks_the_payment_hold_for_its_event(app, monkeypatch):
    asked: list[tuple[int, bool]] = []

    def hold(event, promoted):
        asked.append((event.id, promoted))
        return timedelta(hours=5) if promoted else timedelta(hours=1)

    monkeypatch.setattr(seats, "payment_hold", hold)
    event_id, ticket_id = new_event(app, capacity=1, price=90_000)
    [(first_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    [(second_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        first_hold = _registration(first_id).hold_expires_at
        assert timedelta(minutes=59) < first_hold - utcnow() <= timedelta(hours=1)
        seats.cancel_registration(_registration(first_id))
        promoted_hold = _registration(second_id).hold_expires_at
        assert timedelta(hours=4, minutes=59) < promoted_hold - utcnow() <= timedelta(hours=5)
    approval_event, approval_type = new_event(app, approval=True, price=90_000)
    [(pending_id, _s)] = register(app, approval_event, approval_type, make_user(app).id)
    with app.test_request_context():
        seats.approve_registration(_registration(pending_id))
        assert timedelta(hours=4, minutes=59) < _registration(pending_id).hold_expires_at - utcnow()
    assert asked == [(event_id, False), (event_id, True), (approval_event, False), (approval_event, True)]


def test_set_payment_hold_replaces_the_hold(app, monkeypatch):
    monkeypatch.setattr(seats, "payment_hold", seats.payment_hold)  # restored afterwards

    def week(event, promoted):
        return timedelta(days=7)

    seats.set_payment_hold(week)
    assert seats.payment_hold is week


# --- Approval and cancellation ------------------------------------------------------------------------


def test_an_approved_free_registration_gets_its_ticket_at_once(app):
    event_id, ticket_id = new_event(app, approval=True)
    [(registration_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        seats.approve_registration(_registration(registration_id))
    with app.app_context():
        registration = _registration(registration_id)
        assert registration.status == RegistrationStatus.CONFIRMED
        assert registration.ticket_code and registration.confirmed_at is not None
        assert registration.hold_expires_at is None


def test_the_cancellation_tells_who_cancelled(app):
    event_id, ticket_id = new_event(app, capacity=5)
    [(mine, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    [(theirs, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    told: list[tuple[int, object]] = []

    def listen(registration, by_organiser=None, **_):
        told.append((registration.id, by_organiser))

    with registration_cancelled.connected_to(listen), app.test_request_context():
        seats.cancel_registration(_registration(mine))
        seats.cancel_registration(_registration(theirs), by_organiser=True)
    assert told == [(mine, False), (theirs, True)]


def test_a_registration_error_carries_its_message():
    error = RegistrationError("Hết chỗ")
    assert str(error) == "Hết chỗ" and error.message == "Hết chỗ"


# --- Hold expiry -----------------------------------------------------------------------------------------


def test_expiry_locks_no_event_while_no_hold_ran_out(app, monkeypatch):
    event_id, ticket_id = new_event(app, capacity=3, price=90_000)
    [(held_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    [(paid_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    locked: list[int] = []
    lock = seats.lock_event

    def counting(event):
        locked.append(event.id)
        return lock(event)

    monkeypatch.setattr(seats, "lock_event", counting)
    with app.test_request_context():
        hold = _registration(held_id).hold_expires_at
        _changed_meanwhile(Registration, paid_id, status=RegistrationStatus.CONFIRMED, hold_expires_at=hold)
        # A confirmed ticket with an old hold time, and a hold that runs until this very instant.
        assert seats.expire_holds(hold) == 0
        assert locked == []  # not even a lock: expiry runs every minute beside registrations
        assert seats.expire_holds(hold + timedelta(seconds=1)) == 1
        assert locked == [event_id]
    assert status_of(app, paid_id) == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize("meanwhile", [
    {"status": RegistrationStatus.CONFIRMED, "hold_expires_at": None},  # paid just before the lock
    {"hold_expires_at": "now"},  # the hold was extended up to this very instant
])
def test_a_hold_paid_or_extended_while_expiry_waited_for_the_lock_is_kept(app, monkeypatch, meanwhile):
    event_id, ticket_id = new_event(app, capacity=1, price=90_000)
    [(held_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    [(waiting_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    lock = seats.lock_event
    with app.test_request_context():
        now = _registration(held_id).hold_expires_at + timedelta(minutes=1)
        values = {key: (now if value == "now" else value) for key, value in meanwhile.items()}

        def change_then_lock(event):
            _changed_meanwhile(Registration, held_id, **values)  # committed by another request
            return lock(event)

        monkeypatch.setattr(seats, "lock_event", change_then_lock)
        assert seats.expire_holds(now) == 0
    assert status_of(app, held_id) == values.get("status", RegistrationStatus.AWAITING_PAYMENT)
    assert status_of(app, waiting_id) == RegistrationStatus.WAITLISTED


# --- A payment that arrives late (confirm_payment) -------------------------------------------------------


def _expired_hold(app, capacity=2, **fields):
    """A paid registration whose hold ran out (cancelled by expire_holds): (event id, type id, registration id,
    the moment it expired)."""
    event_id, ticket_id = new_event(app, capacity=capacity, price=120_000, **fields)
    person = make_user(app)
    [(registration_id, _s)] = register(app, event_id, ticket_id, person.id)
    with app.test_request_context():
        expired_at = _registration(registration_id).hold_expires_at + timedelta(seconds=1)
        assert seats.expire_holds(expired_at) == 1
    return event_id, ticket_id, registration_id, person


def _confirm(registration_id, now=None) -> bool:
    confirmed = seats.confirm_payment(_registration(registration_id), now)
    db.session.commit()
    return confirmed


def test_a_late_payment_gets_its_seat_back_when_one_is_free(app):
    _event, _type, registration_id, _person = _expired_hold(app)
    with app.test_request_context():
        assert _confirm(registration_id) is True
    with app.app_context():
        registration = _registration(registration_id)
        assert registration.status == RegistrationStatus.CONFIRMED and registration.cancelled_at is None
        assert registration.ticket_code and registration.hold_expires_at is None


def test_a_payment_for_a_hold_that_ran_out_at_the_instant_of_cancelling_counts_as_late(app):
    _event, _type, registration_id, _person = _expired_hold(app)
    with app.test_request_context():
        registration = _registration(registration_id)
        _changed_meanwhile(Registration, registration_id, cancelled_at=registration.hold_expires_at)
        assert _confirm(registration_id) is True


def test_a_payment_for_a_registration_cancelled_by_its_attendee_is_not_a_late_payment(app):
    event_id, ticket_id = new_event(app, capacity=2, price=120_000)
    [(registration_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        seats.cancel_registration(_registration(registration_id))
        assert _confirm(registration_id) is False
    assert status_of(app, registration_id) == RegistrationStatus.CANCELLED


def test_a_late_payment_gets_no_seat_in_a_cancelled_or_finished_event(app):
    event_id, _type, registration_id, _person = _expired_hold(app)
    with app.test_request_context():
        management.cancel_event(db.session.get(Event, event_id))
        assert _confirm(registration_id) is False
    event_id, _type, registration_id, _person = _expired_hold(app)
    with app.test_request_context():
        ends_at = db.session.get(Event, event_id).ends_at
        assert _confirm(registration_id, now=ends_at) is False  # the event ended at this instant
        assert _confirm(registration_id, now=ends_at - timedelta(seconds=1)) is True
    assert status_of(app, registration_id) == RegistrationStatus.CONFIRMED


def test_a_late_payment_gets_no_seat_when_its_owner_registered_again(app):
    event_id, ticket_id, registration_id, person = _expired_hold(app, capacity=3)
    [(again_id, _s)] = register(app, event_id, ticket_id, person.id)
    with app.test_request_context():
        assert _confirm(registration_id) is False
    assert status_of(app, again_id) == RegistrationStatus.AWAITING_PAYMENT


def test_an_old_cancelled_registration_does_not_block_a_late_payment(app):
    event_id, ticket_id = new_event(app, capacity=3, price=120_000)
    person = make_user(app)
    [(first_id, _s)] = register(app, event_id, ticket_id, person.id)
    with app.test_request_context():
        seats.cancel_registration(_registration(first_id))  # changed their mind
    [(second_id, _s)] = register(app, event_id, ticket_id, person.id)  # and registered again
    with app.test_request_context():
        assert seats.expire_holds(_registration(second_id).hold_expires_at + timedelta(seconds=1)) == 1
        assert _confirm(second_id) is True
    assert status_of(app, second_id) == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize("status", [RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING_APPROVAL])
def test_a_payment_for_a_registration_without_a_held_seat_confirms_nothing(app, status):
    event_id, ticket_id = new_event(app, capacity=2, price=120_000)
    [(registration_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        _changed_meanwhile(Registration, registration_id, status=status)
        assert _confirm(registration_id) is False
    assert status_of(app, registration_id) == status


# --- Live counts ------------------------------------------------------------------------------------------


def test_live_counts_name_every_status_and_zero_when_none(app):
    event_id, ticket_id = new_event(app, capacity=5, approval=False)
    with app.app_context():
        assert seats.seat_counts(db.session.get(Event, event_id)) == {
            "registered": 0, "checked_in": 0, "waitlisted": 0, "awaiting_payment": 0, "pending_approval": 0,
        }
    ids = [register(app, event_id, ticket_id, make_user(app).id)[0][0] for _ in range(5)]
    with app.test_request_context():
        for registration_id, status in zip(ids, (RegistrationStatus.CHECKED_IN, RegistrationStatus.WAITLISTED,
                                                 RegistrationStatus.AWAITING_PAYMENT,
                                                 RegistrationStatus.PENDING_APPROVAL), strict=False):
            _changed_meanwhile(Registration, registration_id, status=status)
        assert seats.seat_counts(db.session.get(Event, event_id)) == {
            "registered": 4, "checked_in": 1, "waitlisted": 1, "awaiting_payment": 1, "pending_approval": 1,
        }


def test_the_first_in_line_is_the_earliest_registered(app):
    event_id, ticket_id = new_event(app, capacity=1)
    [(seated_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    [(early_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    [(late_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        # The lower id registered later (ids and clocks need not agree across app servers).
        early_at = _registration(early_id).created_at
        _changed_meanwhile(Registration, early_id, created_at=early_at + timedelta(minutes=5))
        promoted = seats.cancel_registration(_registration(seated_id))
        assert promoted.id == late_id
    assert status_of(app, early_id) == RegistrationStatus.WAITLISTED


def test_several_expired_holds_each_pass_their_seat_and_the_next_person_is_told(app, mailbox, deliver_mail):
    event_id, ticket_id = new_event(app, capacity=2, price=90_000)
    held = [register(app, event_id, ticket_id, make_user(app).id)[0][0] for _ in range(2)]
    waiting_person = make_user(app)
    [(waiting_id, _s)] = register(app, event_id, ticket_id, waiting_person.id)
    deliver_mail()
    assert len(mailbox.to(waiting_person.email)) == 1  # "you are on the waitlist"
    with app.test_request_context():
        latest = max(_registration(item).hold_expires_at for item in held)
        assert seats.expire_holds(latest + timedelta(seconds=1)) == 2
    assert status_of(app, waiting_id) == RegistrationStatus.AWAITING_PAYMENT
    deliver_mail()
    assert len(mailbox.to(waiting_person.email)) == 2  # then "pay to keep your seat"


def test_a_late_payment_is_not_blocked_by_other_people_or_other_events(app):
    event_id, ticket_id, registration_id, person = _expired_hold(app, capacity=3)
    register(app, event_id, ticket_id, make_user(app).id)  # someone else holds a seat of the same event
    other_event, other_type = new_event(app, capacity=3)
    register(app, other_event, other_type, person.id)  # the same person goes to another event
    with app.test_request_context():
        assert _confirm(registration_id) is True


def test_a_free_ticket_is_issued_at_once_with_a_long_random_code(app):
    event_id, ticket_id = new_event(app, capacity=3)
    before = utcnow()
    [(registration_id, status)] = register(app, event_id, ticket_id, make_user(app).id)
    assert status == RegistrationStatus.CONFIRMED
    with app.app_context():
        registration = _registration(registration_id)
        assert before <= registration.confirmed_at <= utcnow()
        assert len(registration.ticket_code) == 24  # 18 random bytes, URL-safe: the ticket's URL and QR code


def test_the_event_capacity_counts_only_this_events_seats(app):
    other_event, other_type = new_event(app, capacity=3)
    register(app, other_event, other_type, make_user(app).id)
    event_id, ticket_id = new_event(app, capacity=3)
    with app.app_context():
        db.session.get(Event, event_id).capacity = 1
        db.session.commit()
    assert register(app, event_id, ticket_id, make_user(app).id)[0][1] == RegistrationStatus.CONFIRMED


# --- What each person is told -----------------------------------------------------------------------------


def test_each_decision_sends_its_own_e_mail(app, mailbox, deliver_mail):
    from tests.smtp_server import text_body

    event_id, free_type, paid_type = two_type_event(app, {"capacity": 1}, {"capacity": 5, "price_vnd": 80_000})
    approval_event, approval_type = new_event(app, approval=True)
    with app.app_context():
        event = db.session.get(Event, event_id)
        title, slug = event.title, event.slug
        approval_title = db.session.get(Event, approval_event).title
    people = {name: make_user(app, locale="en", full_name=f"Trần {name}")
              for name in ("ticket", "waiting", "paying", "approving")}
    [(ticket_id, _s)] = register(app, event_id, free_type, people["ticket"].id)
    register(app, event_id, free_type, people["waiting"].id)
    [(paying_id, _s)] = register(app, event_id, paid_type, people["paying"].id)
    register(app, approval_event, approval_type, people["approving"].id)
    deliver_mail()
    with app.app_context():
        code = _registration(ticket_id).ticket_code
    expected = {
        "ticket": f"Your ticket for {title}",
        "waiting": f"You are on the waitlist of {title}",
        "paying": f"Pay to keep your seat at {title}",
        "approving": f"Your registration for {approval_title} awaits approval",
    }
    for name, subject in expected.items():
        [message] = mailbox.to(people[name].email)
        body = text_body(message)
        assert message["Subject"] == subject, name
        assert f"Hello Trần {name}," in body
        assert ("/events/" + slug in body) != (name == "approving"), name  # the event's page
        assert (f"/payments/registrations/{paying_id}/pay" in body) == (name == "paying"), name
        assert (f"/tickets/{code}" in body) == (name == "ticket"), name
        attachments = [part.get_filename() for part in message.iter_attachments()]
        assert attachments == ([f"ve-{code[:8]}.png", f"{slug}.ics"] if name == "ticket" else []), name


# --- Answers to the event's questions -----------------------------------------------------------------------


def test_answers_are_checked_question_by_question_and_stored_trimmed(app):
    from ecosystem.events.models import Answer, Question, QuestionKind
    from tests.events.test_registration_rules import refused

    questions = [
        Question(label="Ghi chú", kind=QuestionKind.TEXT, position=0),
        Question(label="Bạn đến từ đâu?", kind=QuestionKind.CHOICE, choices="Đại Từ\nPhổ Yên", required=True,
                 position=1),
        Question(label="Ăn trưa?", kind=QuestionKind.YES_NO, position=2),
        Question(label="Tên startup", kind=QuestionKind.TEXT, required=True, position=3),
    ]
    event_id, ticket_id = new_event(app, capacity=10, questions=questions)
    with app.app_context():
        note, origin, lunch, startup = db.session.scalars(
            db.select(Question.id).where(Question.event_id == event_id).order_by(Question.position)).all()
    valid = {origin: "Phổ Yên", lunch: "no", startup: "  Trà Xanh  "}
    cases = [
        ({origin: "Đại Từ"}, "Please answer “Tên startup”."),  # an optional question left empty does not stop
        ({**valid, origin: "Hà Nội"}, "Choose one of the offered answers to “Bạn đến từ đâu?”."),
        ({**valid, lunch: "maybe"}, "Answer “Ăn trưa?” with yes or no."),
        ({**valid, note: "x" * 2001}, "An answer has at most 2000 characters."),
    ]
    for answers, message in cases:
        with refused(app, message):
            register(app, event_id, ticket_id, make_user(app).id, answers=answers)
    [(registration_id, _s)] = register(app, event_id, ticket_id, make_user(app).id,
                                       answers={**valid, note: "y" * 2000})
    with app.app_context():
        stored = dict(db.session.execute(
            db.select(Answer.question_id, Answer.value).where(Answer.registration_id == registration_id)).all())
    assert stored == {note: "y" * 2000, origin: "Phổ Yên", lunch: "no", startup: "Trà Xanh"}


def test_who_a_buyer_may_register_with_exact_messages(app):
    from ecosystem.auth.models import User
    from tests.events.test_registration_rules import refused

    event_id, ticket_id = new_event(app, capacity=10, limit=5)
    buyer, member, stranger = make_user(app), make_user(app, full_name="Lý Thị Mai"), make_user(app)
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        users = {ref.id: db.session.get(User, ref.id) for ref in (buyer, member, stranger)}

        def order(*people, others=lambda buyer, other: other.id == member.id):
            return seats.register(event, users[buyer.id],
                                  [AttendeeRequest(users[person.id], ticket_id) for person in people],
                                  may_register_others=others)

        with refused(app, "Choose at least one attendee."):
            order()
        with refused(app, "You may register only yourself and members of your startup or team."):
            order(buyer, stranger)
        with refused(app, "Lý Thị Mai is listed twice."):
            order(buyer, member, member)
        with refused(app, "You may register only yourself and members of your startup or team."):
            order(member, others=lambda buyer, other: False)
        assert len(order(buyer, member).registrations) == 2


# --- The registration window, and refusals at their boundaries ---------------------------------------------


def test_the_registration_window_at_its_exact_boundaries(app):
    event_id, _ticket_id = new_event(app)
    with app.app_context():
        event = db.session.get(Event, event_id)
        opens, closes = event.starts_at - timedelta(days=2), event.starts_at - timedelta(hours=1)
        event.registration_opens_at, event.registration_closes_at = opens, closes
        assert not seats.registration_open(event, opens - timedelta(microseconds=1))
        assert seats.registration_open(event, opens)  # opens at that instant
        assert seats.registration_open(event, closes - timedelta(microseconds=1))
        assert not seats.registration_open(event, closes)  # closes at that instant
        event.registration_opens_at = event.registration_closes_at = None
        assert seats.registration_open(event, event.ends_at - timedelta(microseconds=1))
        assert not seats.registration_open(event, event.ends_at)  # over at that instant
        db.session.rollback()


def test_registering_someone_already_registered_says_so(app):
    from tests.events.test_registration_rules import refused

    event_id, ticket_id = new_event(app, capacity=5, limit=5)
    person = make_user(app)
    register(app, event_id, ticket_id, person.id)
    with refused(app, "Someone in this order is already registered for this event."):
        register(app, event_id, ticket_id, person.id)


def test_an_attendee_cannot_cancel_once_the_event_is_over(app):
    from tests.events.test_registration_rules import refused

    event_id, ticket_id = new_event(app, capacity=5)
    [(registration_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    with app.test_request_context():
        ends_at = db.session.get(Event, event_id).ends_at
        with refused(app, "The event is over: its registrations can no longer be cancelled."):
            seats.cancel_registration(_registration(registration_id), now=ends_at)
        seats.cancel_registration(_registration(registration_id), now=ends_at - timedelta(microseconds=1))
    assert status_of(app, registration_id) == RegistrationStatus.CANCELLED


# --- Declining a registration that awaits approval ---------------------------------------------------------


def test_declining_needs_a_short_reason_and_only_a_registration_awaiting_approval(app):
    from tests.events.test_registration_rules import refused

    event_id, ticket_id = new_event(app, approval=True, capacity=3)
    [(registration_id, _s)] = register(app, event_id, ticket_id, make_user(app).id)
    organiser = make_user(app)
    with app.test_request_context():
        staff = db.session.get(User, organiser.id)
        with refused(app, "Please give the reason for declining."):
            seats.decline_registration(_registration(registration_id), staff, "  \n ")
        with refused(app, "Please give the reason for declining."):
            seats.decline_registration(_registration(registration_id), staff, None)
        with refused(app, "The reason has at most 500 characters."):
            seats.decline_registration(_registration(registration_id), staff, "x" * 501)
        seats.decline_registration(_registration(registration_id), staff, "y" * 500)
        with refused(app, "This registration is not waiting for approval."):
            seats.decline_registration(_registration(registration_id), staff, "Lần nữa")
    assert status_of(app, registration_id) == RegistrationStatus.CANCELLED


def test_a_declined_registration_is_cancelled_as_by_an_organiser_and_its_seat_passes_on(
        app, mailbox, deliver_mail):
    from tests.smtp_server import text_body

    event_id, ticket_id = new_event(app, approval=True, capacity=1)
    person = make_user(app, locale="en", full_name="Hà Văn Bình")
    [(declined_id, _s)] = register(app, event_id, ticket_id, person.id)
    next_person = make_user(app, locale="en")
    [(waiting_id, _s)] = register(app, event_id, ticket_id, next_person.id)
    organiser = make_user(app)
    told: list[tuple[int, object]] = []

    def listen(registration, by_organiser=None, **_):
        told.append((registration.id, by_organiser))

    with registration_cancelled.connected_to(listen), app.test_request_context():
        now = utcnow()
        promoted = seats.decline_registration(_registration(declined_id), db.session.get(User, organiser.id),
                                              "  Hết   chỗ cho  nhóm sinh viên ", now=now)
        assert promoted.id == waiting_id
    assert told == [(declined_id, True)]
    with app.app_context():
        declined = _registration(declined_id)
        event = db.session.get(Event, event_id)
        assert (declined.status, declined.cancelled_at, declined.declined_at) == (RegistrationStatus.CANCELLED,
                                                                                  now, now)
        assert declined.declined_by_id == organiser.id and declined.decline_reason == "Hết chỗ cho nhóm sinh viên"
        assert _registration(waiting_id).status == RegistrationStatus.PENDING_APPROVAL
    deliver_mail()
    [message] = mailbox.to(person.email)[-1:]
    assert message["Subject"] == f"Your registration for {event.title} is declined"
    body = text_body(message)
    assert "Hello Hà Văn Bình," in body and "Hết chỗ cho nhóm sinh viên" in body and f"/events/{event.slug}" in body
    # The next in line is told their registration now awaits approval (after "you are on the waitlist").
    def squeezed(text: str) -> str:  # a long encoded header may come back folded without its spaces
        return "".join(text.split())

    assert [squeezed(item["Subject"]) for item in mailbox.to(next_person.email)] == [
        squeezed(f"You are on the waitlist of {event.title}"),
        squeezed(f"Your registration for {event.title} awaits approval")]
