"""Registration rules: seats, waitlist, holds, approval, cancellation and promotion.

Every decision about seats is taken while the event's row is locked
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite serialises writers anyway), and a
partial unique index keeps one active registration per person and event, so
no interleaving of requests can oversell a ticket type or the event.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ecosystem.auth.models import User
from ecosystem.core.locks import hook, lock
from ecosystem.core.urls import external_url
from ecosystem.events.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Event,
    EventStatus,
    Order,
    Registration,
    RegistrationStatus,
    TicketType,
)
from ecosystem.events.registration_checks import (
    AUDIENCE_CHECKS,
    AUDIENCE_LABELS,
    AttendeeRequest,
    RegistrationError,
    check_answers,
    check_attendees,
)
from ecosystem.events.registration_mail import notify, send_notices
from ecosystem.events.signals import registration_cancelled
from ecosystem.extensions import db
from ecosystem.mail.services import queue_mail
from ecosystem.timeutil import utcnow

PAYMENT_HOLD = timedelta(minutes=30)  # a new paid registration keeps its seat this long
PROMOTION_HOLD = timedelta(hours=48)  # someone promoted from the waitlist has longer to pay
DECLINE_REASON_MAX = 500



def default_payment_hold(event: Event, promoted: bool) -> timedelta:
    return PROMOTION_HOLD if promoted else PAYMENT_HOLD


# How long a seat waits for its payment. The payments domain replaces it (`set_payment_hold`):
# a bank transfer takes days where a card takes minutes.
payment_hold: Callable[[Event, bool], timedelta] = default_payment_hold


def set_payment_hold(function: Callable[[Event, bool], timedelta]) -> None:
    global payment_hold
    payment_hold = function



def registration_open(event: Event, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if event.status != EventStatus.PUBLISHED or event.ends_at <= now:
        return False
    if event.registration_opens_at and now < event.registration_opens_at:
        return False
    return not (event.registration_closes_at and now >= event.registration_closes_at)


def lock_event(event: Event) -> Event:
    """The event as it is now, its row locked until the transaction ends: every decision about its seats
    and ticket types (register, approve, cancel, delete a ticket type) is taken under this lock."""
    return lock(event, "events.seats")


_lock_event = lock_event  # the name confirm_payment uses


def _lock_registration(registration: Registration) -> Registration:
    """The registration as it is now, its row locked (taken after the event's lock, as check-in takes it)."""
    return lock(registration, "events.seats")


def _seats_taken(ticket_type_id: int | None, event_id: int) -> int:
    statement = select(func.count()).select_from(Registration).where(
        Registration.event_id == event_id, Registration.status.in_(SEAT_STATUSES)
    )
    if ticket_type_id is not None:
        statement = statement.where(Registration.ticket_type_id == ticket_type_id)
    return db.session.scalar(statement)


def _has_seat(event: Event, ticket_type: TicketType) -> bool:
    has_seat = _seats_taken(ticket_type.id, event.id) < ticket_type.capacity and (
        event.capacity is None or _seats_taken(None, event.id) < event.capacity
    )
    hook("events.seats_counted")  # race tests widen the window between counting and writing
    return has_seat


def _issue_ticket(registration: Registration, now: datetime) -> None:
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = now
    registration.hold_expires_at = None
    registration.ticket_code = registration.ticket_code or secrets.token_urlsafe(18)


def _seat(registration: Registration, ticket_type: TicketType, now: datetime, hold: timedelta) -> None:
    """Give `registration` its seat: confirmed, held for payment, or waiting for approval."""
    if ticket_type.requires_approval:
        registration.status = RegistrationStatus.PENDING_APPROVAL
    elif not ticket_type.is_free:
        registration.status = RegistrationStatus.AWAITING_PAYMENT
        registration.hold_expires_at = now + hold
    else:
        _issue_ticket(registration, now)


def _ticket_types(event: Event) -> dict[int, TicketType]:
    """The event's ticket types as they are now (one may have been changed or deleted meanwhile)."""
    return {ticket_type.id: ticket_type for ticket_type in db.session.scalars(
        select(TicketType).where(TicketType.event_id == event.id).execution_options(populate_existing=True)
    )}


def _check_under_lock(event: Event, buyer: User, attendees: list[AttendeeRequest]) -> dict[int, TicketType]:
    """The rules that a concurrent request can change, read while the event's row is locked: the event's
    status and window, its ticket types, and what the buyer already ordered. Returns the ticket types."""
    if event.status == EventStatus.CANCELLED:
        raise RegistrationError(_l("This event is cancelled."))
    if not registration_open(event):
        raise RegistrationError(_l("Registration for this event is not open."))
    types = _ticket_types(event)
    per_type: dict[int, int] = {}
    for attendee in attendees:
        ticket_type = types.get(attendee.ticket_type_id)
        if ticket_type is None:
            raise RegistrationError(_l("Choose a ticket type of this event."))
        if not AUDIENCE_CHECKS[ticket_type.audience](attendee.user):
            raise RegistrationError(
                _l("The ticket “%(ticket)s” is reserved for %(audience)s.", ticket=ticket_type.name,
                   audience=AUDIENCE_LABELS[ticket_type.audience])
            )
        per_type[ticket_type.id] = per_type.get(ticket_type.id, 0) + 1
    for ticket_type_id, count in per_type.items():
        ticket_type = types[ticket_type_id]
        already = db.session.scalar(
            select(func.count()).select_from(Registration).join(Order)
            .where(Order.buyer_id == buyer.id, Registration.ticket_type_id == ticket_type_id,
                   Registration.status.in_(ACTIVE_STATUSES))
        )
        if already + count > ticket_type.per_person_limit:
            raise RegistrationError(
                _l("One person may order at most %(limit)d ticket(s) of “%(ticket)s”.",
                   limit=ticket_type.per_person_limit, ticket=ticket_type.name)
            )
    return types


def register(event: Event, buyer: User, attendees: list[AttendeeRequest],
             may_register_others: Callable[[User, User], bool] = lambda buyer, other: False) -> Order:
    """Register one or more attendees in one order; each gets a seat or a waitlist place.

    `may_register_others(buyer, attendee)` says whether the buyer may register that
    person (a founder their startup's members, a club leader their team's members).
    Everything a concurrent request can change (the event cancelled, its window closed, a ticket
    type deleted, another order of the same buyer) is checked after the event's row is locked.
    """
    check_attendees(buyer, attendees, may_register_others)
    answers = [check_answers(event, attendee.answers) for attendee in attendees]
    decided: list[tuple[Registration, str]] = []
    try:
        event = lock_event(event)
        now = utcnow()
        types = _check_under_lock(event, buyer, attendees)
        order = Order(event_id=event.id, buyer_id=buyer.id)
        db.session.add(order)
        for attendee, attendee_answers in zip(attendees, answers, strict=True):
            ticket_type = types[attendee.ticket_type_id]
            registration = Registration(
                event_id=event.id, ticket_type_id=ticket_type.id, order=order, attendee_id=attendee.user.id,
                status=RegistrationStatus.WAITLISTED, answers=attendee_answers,
            )
            db.session.add(registration)  # waitlisted until a seat is found: not counted as one
            if _has_seat(event, ticket_type):
                _seat(registration, ticket_type, now, payment_hold(event, False))
            db.session.flush()
            decided.append((registration, registration.status))
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise RegistrationError(_l("Someone in this order is already registered for this event.")) from error
    except BaseException:
        db.session.rollback()
        raise
    send_notices(decided)
    return order


def _promote_next(event: Event, ticket_type: TicketType, now: datetime) -> Registration | None:
    """Give a freed seat to the first person on the ticket type's waitlist (event row locked)."""
    if not _has_seat(event, ticket_type):
        return None
    waiting = db.session.scalar(
        select(Registration)
        .where(Registration.ticket_type_id == ticket_type.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
        .limit(1)
    )
    if waiting is None:
        return None
    _seat(waiting, ticket_type, now, payment_hold(event, True))
    db.session.flush()
    return waiting  # the caller notifies them once committed


def cancel_registration(registration: Registration, now: datetime | None = None,
                        by_organiser: bool = False) -> Registration | None:
    """Cancel, have a paid ticket refunded (the payments domain decides), and promote the next in line.

    Returns the registration promoted into the freed seat, if any. One transaction. The status is read
    under the locks: a ticket checked in or cancelled meanwhile is not cancelled (again).
    """
    now = now or utcnow()
    try:
        event = lock_event(registration.event)
        registration = _lock_registration(registration)
        if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.CHECKED_IN):
            raise RegistrationError(_l("This registration cannot be cancelled any more."))
        if not by_organiser and event.ends_at <= now:
            raise RegistrationError(_l("The event is over: its registrations can no longer be cancelled."))
        held_seat = registration.status in SEAT_STATUSES
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.hold_expires_at = None
        registration_cancelled.send(registration, by_organiser=by_organiser)
        db.session.flush()
        promoted = _promote_next(event, registration.ticket_type, now) if held_seat else None
        decided = [(promoted, promoted.status)] if promoted else []
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    send_notices(decided)
    return promoted


def _hold_expired(registration: Registration, now: datetime) -> bool:
    return registration.status == RegistrationStatus.AWAITING_PAYMENT and registration.hold_expires_at < now


def expire_holds(now: datetime | None = None) -> int:
    """Cancel unpaid holds that ran out and pass each seat to the next person. Returns how many."""
    now = now or utcnow()
    candidates = list(db.session.scalars(
        select(Registration.id).where(
            Registration.status == RegistrationStatus.AWAITING_PAYMENT, Registration.hold_expires_at < now
        )
    ))
    expired = 0
    for registration_id in candidates:
        registration = db.session.get(Registration, registration_id)
        decided: list[tuple[Registration, str]] = []
        try:
            event = lock_event(registration.event)
            registration = _lock_registration(registration)
            if _hold_expired(registration, now):  # not paid or extended meanwhile
                registration.status = RegistrationStatus.CANCELLED
                registration.cancelled_at = now
                db.session.flush()
                promoted = _promote_next(event, registration.ticket_type, now)
                decided = [(promoted, promoted.status)] if promoted else []
                expired += 1
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        send_notices(decided)
    return expired


def confirm_payment(registration: Registration, now: datetime | None = None) -> bool:
    """A payment succeeded: issue the ticket. False when the seat is gone (the caller refunds).

    One-way: a confirmed or checked-in registration stays as it is. A payment that arrives after its hold
    ran out (the registration was cancelled by `expire_holds`, which leaves `hold_expires_at` set) gets the
    seat back when the event still runs, a seat of its ticket type is free and the person has no other
    registration for the event; otherwise False. Decided under the event's row lock.
    """
    now = now or utcnow()
    event = _lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.CHECKED_IN):
        return True
    if registration.status == RegistrationStatus.CANCELLED:
        hold_ran_out = (registration.hold_expires_at is not None and registration.cancelled_at is not None
                        and registration.hold_expires_at <= registration.cancelled_at)
        if not (hold_ran_out and event.status == EventStatus.PUBLISHED and event.ends_at > now
                and _has_seat(event, registration.ticket_type)):
            return False
        other = db.session.scalar(
            select(func.count()).select_from(Registration)
            .where(Registration.event_id == event.id, Registration.attendee_id == registration.attendee_id,
                   Registration.id != registration.id, Registration.status.in_(ACTIVE_STATUSES))
        )
        if other:
            return False
        registration.cancelled_at = None
    elif registration.status != RegistrationStatus.AWAITING_PAYMENT:
        return False
    _issue_ticket(registration, now)
    db.session.flush()
    notify(registration, registration.event, registration.attendee)
    return True


def approve_registration(registration: Registration) -> None:
    """An organiser accepts a registration waiting for approval (paid ones then wait for payment).

    The status is read under the locks: a registration cancelled meanwhile stays cancelled.
    """
    try:
        event = lock_event(registration.event)
        registration = _lock_registration(registration)
        if registration.status != RegistrationStatus.PENDING_APPROVAL:
            raise RegistrationError(_l("This registration is not waiting for approval."))
        now = utcnow()
        if registration.ticket_type.is_free:
            _issue_ticket(registration, now)
        else:
            registration.status = RegistrationStatus.AWAITING_PAYMENT
            registration.hold_expires_at = now + payment_hold(event, True)
        db.session.flush()
        decided = [(registration, registration.status)]
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    send_notices(decided)


def seat_counts(event: Event) -> dict[str, int]:
    """Live counts for organisers: one grouped query."""
    rows = db.session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all()
    by_status = {status: count for status, count in rows}
    return {
        "registered": sum(by_status.get(status, 0) for status in SEAT_STATUSES),
        "checked_in": by_status.get(RegistrationStatus.CHECKED_IN, 0),
        "waitlisted": by_status.get(RegistrationStatus.WAITLISTED, 0),
        "awaiting_payment": by_status.get(RegistrationStatus.AWAITING_PAYMENT, 0),
        "pending_approval": by_status.get(RegistrationStatus.PENDING_APPROVAL, 0),
    }


def decline_registration(registration: Registration, declined_by: User, reason: str,
                         now: datetime | None = None) -> Registration | None:
    """An organiser declines a registration awaiting approval, with a reason the person is told by e-mail.

    The registration is cancelled (as by an organiser: anything paid is refunded) with who declined it, when
    and why; its seat goes to the next person in line. The status is read under the locks. Returns the
    registration promoted into the freed seat, if any.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise RegistrationError(_l("Please give the reason for declining."))
    if len(reason) > DECLINE_REASON_MAX:
        raise RegistrationError(_l("The reason has at most %(max)d characters.", max=DECLINE_REASON_MAX))
    now = now or utcnow()
    try:
        event = lock_event(registration.event)
        registration = _lock_registration(registration)
        if registration.status != RegistrationStatus.PENDING_APPROVAL:
            raise RegistrationError(_l("This registration is not waiting for approval."))
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.hold_expires_at = None
        registration.declined_at = now
        registration.declined_by_id = declined_by.id
        registration.decline_reason = reason
        registration_cancelled.send(registration, by_organiser=True)
        db.session.flush()
        promoted = _promote_next(event, registration.ticket_type, now)
        decided = [(promoted, promoted.status)] if promoted else []
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    try:
        db.session.refresh(registration)
        if registration.declined_at is not None:
            attendee = registration.attendee
            queue_mail(
                attendee.email, _l("Your registration for %(event)s is declined", event=event.title),
                "events/mail/declined", attendee.locale, event=event, registration=registration,
                attendee=attendee, reason=registration.decline_reason,
                event_url=external_url("events.detail", slug=event.slug),
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    send_notices(decided)
    return promoted
