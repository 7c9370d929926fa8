"""Tickets: QR codes, the files sent with a ticket e-mail, and check-in at the door.

A ticket is a confirmed registration with an unguessable `ticket_code`. Its QR
code holds the ticket's URL, so any phone camera opens the ticket page and the
check-in scanner accepts either the URL or the bare code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO

import segno
from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import can
from ecosystem.core.locks import for_update, hook
from ecosystem.core.text import fold
from ecosystem.core.urls import external_url
from ecosystem.events.calendar import event_ics
from ecosystem.events.models import Event, EventOrganiser, Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.i18n import format_when
from ecosystem.timeutil import utcnow

# secrets.token_urlsafe(18) gives 24 characters of [A-Za-z0-9_-]; allow some slack, nothing else.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_INPUT = 500


def ticket_url(registration: Registration) -> str:
    return external_url("tickets.show", code=registration.ticket_code)


def _qr(registration: Registration) -> segno.QRCode:
    return segno.make(ticket_url(registration), error="m", micro=False)


def ticket_qr_png(registration: Registration) -> bytes:
    """A PNG that phone cameras read easily: 10 px modules and the standard 4-module quiet zone."""
    buffer = BytesIO()
    _qr(registration).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def ticket_qr_data_uri(registration: Registration) -> str:
    """The QR code as an SVG data URI for the ticket page (allowed by `img-src 'self' data:`)."""
    return _qr(registration).svg_data_uri(scale=8, border=4)


def ticket_files(registration: Registration) -> list[tuple[str, str, bytes]]:
    """Files attached to a ticket e-mail: (filename, content type, bytes)."""
    if not registration.ticket_code:
        return []
    event = registration.event or db.session.get(Event, registration.event_id)
    return [
        (f"ve-{registration.ticket_code[:8]}.png", "image/png", ticket_qr_png(registration)),
        # RFC 5545 makes UTF-8 the default, but mail readers (and Python) want it said.
        (f"{event.slug}.ics", "text/calendar; charset=utf-8", event_ics(event)),
    ]


def find_ticket(code: str) -> Registration | None:
    """The registration with this ticket code (None for anything that is not one)."""
    if not code or not CODE_PATTERN.fullmatch(code):
        return None
    return db.session.scalar(select(Registration).where(Registration.ticket_code == code))


def is_group_leader(registration: Registration) -> bool:
    """The buyer's own ticket in an order with other attendees."""
    return registration.attendee_id == registration.order.buyer_id and len(registration.order.registrations) > 1


# --- Who may check people in -------------------------------------------------------------------


def is_event_staff(user, event: Event) -> bool:
    """Coordinators and admins for every event; organisers for the events they were named to.

    Uses the policy `event.manage` when the events services registered it, else the
    same rule checked here directly.
    """
    if user is None or not user.is_authenticated or not user.is_confirmed:
        return False
    if user.is_admin or user.has_role(Role.COORDINATOR):
        return True

    try:
        return can(user, "event.manage", event)
    except LookupError:
        return bool(db.session.scalar(select(exists().where(
            EventOrganiser.event_id == event.id, EventOrganiser.user_id == user.id
        ))))


# --- Check-in ------------------------------------------------------------------------------------


@dataclass
class CheckInResult:
    ok: bool
    message: str
    status_code: int = 200
    registration: Registration | None = None
    checked_in: list[Registration] = field(default_factory=list)
    group_remaining: int = 0  # other confirmed tickets of the order (shown as "check in the whole group")


def extract_code(raw: str | None) -> str:
    """The ticket code from what a scanner or a person typed: the code itself or the ticket URL."""
    value = (raw or "").strip()
    if "/tickets/" in value:
        value = value.rsplit("/tickets/", 1)[1]
        value = value.split("?", 1)[0].split("#", 1)[0].strip("/")
    return value


def _refusal(registration: Registration) -> str:
    status = registration.status
    if status == RegistrationStatus.CHECKED_IN:
        if registration.checked_in_by is not None:
            return _("Already checked in at %(time)s by %(name)s.", time=format_when(registration.checked_in_at),
                     name=registration.checked_in_by.full_name)
        return _("Already checked in at %(time)s.", time=format_when(registration.checked_in_at))
    reasons = {
        RegistrationStatus.CANCELLED: _("This ticket was cancelled."),
        RegistrationStatus.WAITLISTED: _("This person is on the waitlist: the registration is not confirmed."),
        RegistrationStatus.AWAITING_PAYMENT: _("This ticket is not paid yet."),
        RegistrationStatus.PENDING_APPROVAL: _("This registration is still waiting for approval."),
    }
    return reasons.get(status, _("This ticket cannot be checked in."))


def _mark(registration: Registration, staff: User, now) -> None:
    registration.status = RegistrationStatus.CHECKED_IN
    registration.checked_in_at = now
    registration.checked_in_by_id = staff.id


# A group leader's ticket stands for the group only while it is valid itself.
LEADER_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.CHECKED_IN)


def _remaining_in_group(registration: Registration) -> int:
    if registration.attendee_id != registration.order.buyer_id or registration.status not in LEADER_STATUSES:
        return 0
    return sum(
        1 for other in registration.order.registrations
        if other.id != registration.id and other.status == RegistrationStatus.CONFIRMED
    )


def check_in(event: Event, code: str | None, staff: User, whole_group: bool = False) -> CheckInResult:
    """Check in the ticket `code` at `event` (or, from the leader's ticket, the whole order).

    The registration row is locked (`SELECT ... FOR UPDATE`) before its status is read,
    so two scanners reading the same ticket cannot both succeed: the second one waits,
    then sees it checked in and is refused with the time of the first check-in.
    """
    code = extract_code(code)
    if not code:
        return CheckInResult(False, _("Type or scan a ticket code."), 400)
    if len(code) > MAX_INPUT or not CODE_PATTERN.fullmatch(code):
        return CheckInResult(False, _("This is not a ticket code."), 400)
    try:
        registration = db.session.scalar(for_update(select(Registration).where(Registration.ticket_code == code),
                                                    "events.tickets"))
        if registration is None:
            db.session.rollback()
            return CheckInResult(False, _("No ticket has this code."), 404)
        if registration.event_id != event.id:
            db.session.rollback()
            return CheckInResult(False, _("This ticket is for another event."), 409, registration)
        hook("events.ticket_read")
        now = utcnow()
        if whole_group:
            result = _check_in_group(registration, staff, now)
        elif registration.status != RegistrationStatus.CONFIRMED:
            result = CheckInResult(False, _refusal(registration), 409, registration)
        else:
            _mark(registration, staff, now)
            result = CheckInResult(
                True, _("Checked in: %(name)s.", name=registration.attendee.full_name), 200, registration,
                [registration],
            )
        if result.ok:
            db.session.flush()
        result.group_remaining = _remaining_in_group(registration)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def _check_in_group(leader: Registration, staff: User, now) -> CheckInResult:
    if leader.attendee_id != leader.order.buyer_id:
        return CheckInResult(False, _("Only the group leader's ticket can check in a whole group."), 409, leader)
    if leader.status not in LEADER_STATUSES:
        # A cancelled (or unconfirmed) leader's ticket checks in nobody: each member shows their own ticket.
        return CheckInResult(False, _refusal(leader), 409, leader)
    members = list(db.session.scalars(
        for_update(select(Registration).where(Registration.order_id == leader.order_id).order_by(Registration.id),
                   "events.tickets")
    ))
    confirmed = [member for member in members if member.status == RegistrationStatus.CONFIRMED]
    if not confirmed:
        return CheckInResult(False, _("Everyone with a confirmed ticket in this group is already checked in."),
                             409, leader)
    for member in confirmed:
        _mark(member, staff, now)
    return CheckInResult(
        True, _("Checked in the whole group: %(count)d person(s).", count=len(confirmed)), 200, leader, confirmed
    )


# --- Finding someone at the door by name, e-mail or phone -----------------------------------------

SEARCH_MIN = 2
SEARCH_LIMIT = 20


def _digits(value: str | None) -> str:
    digits = "".join(character for character in (value or "") if character.isdigit())
    return "0" + digits[2:] if digits.startswith("84") and len(digits) >= 11 else digits  # +84 912… = 0912…


def find_attendees(event: Event, query: str | None, limit: int = SEARCH_LIMIT) -> tuple[list[Registration], bool]:
    """The event's registrations (cancelled ones left out) whose attendee's name or e-mail contains the words
    typed, accents ignored ("nguyen thi lan" finds "Nguyễn Thị Lan"), or whose phone holds the digits typed.
    Returns at most `limit` of them, by name, and whether there were more. Two queries whatever the size."""
    words = fold(query or "").split()
    digits = _digits(query)
    if len("".join(words)) < SEARCH_MIN:
        return [], False
    by_phone = len(digits) >= 3 and all(character.isdigit() or character in " +.-()" for character in query.strip())
    registrations = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status != RegistrationStatus.CANCELLED)
        .options(joinedload(Registration.attendee), joinedload(Registration.ticket_type),
                 joinedload(Registration.checked_in_by))
    ).unique()
    found = []
    for registration in registrations:
        attendee = registration.attendee
        haystack = f"{fold(attendee.full_name)} {attendee.email.lower()}"
        if all(word in haystack for word in words) or (by_phone and digits in _digits(attendee.phone)):
            found.append(registration)
    found.sort(key=lambda registration: (fold(registration.attendee.full_name), registration.id))
    return found[:limit], len(found) > limit
