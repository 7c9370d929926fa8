"""Events: creation and editing, publication, cancellation, tickets, questions, organisers, search.

Seat rules (registration, waitlist, approval, cancellation of one registration) live in
`events.registration`; this module calls them. Times are entered in Asia/Ho_Chi_Minh
local time and stored in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import can, policy
from ecosystem.auth.services import normalize_email
from ecosystem.clubs.membership import club_names_of, team_names_of, teams_led_by
from ecosystem.core.errors import DomainError
from ecosystem.core.exports import csv_bytes
from ecosystem.core.listing import (
    ListQuery,
    Page,
    apply_text_search,
    folded_text,
    ordered,
    paginate,
    parse_list_query,
)
from ecosystem.core.localtime import to_local, to_utc
from ecosystem.core.locks import lock
from ecosystem.core.slugs import insert_with_unique_slug
from ecosystem.core.text import fold, make_slug
from ecosystem.core.uploads import COVER, saving_with_image, store_upload
from ecosystem.core.urls import external_url, is_web_address
from ecosystem.core.validation import is_id_text
from ecosystem.events import hooks
from ecosystem.events.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Audience,
    Event,
    EventKind,
    EventOrganiser,
    EventStatus,
    Order,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    TicketType,
)
from ecosystem.events.registration import lock_event
from ecosystem.events.signals import registration_cancelled
from ecosystem.extensions import db
from ecosystem.i18n import label_of, labels_in_every_language
from ecosystem.mail.services import queue_mail
from ecosystem.places.models import Locality
from ecosystem.places.services import keepable_locality
from ecosystem.startups.membership import startup_names_of, startups_with_members
from ecosystem.timeutil import utcnow

TITLE_MAX = 160
SUMMARY_MAX = 300
DESCRIPTION_MAX = 20_000
VENUE_MAX = 160
ADDRESS_MAX = 255
URL_MAX = 300
TICKET_NAME_MAX = 100
TICKET_DESCRIPTION_MAX = 300
QUESTION_MAX = 200
CHOICES_MAX = 2000
PRICE_MAX = 1_000_000_000  # one billion đồng
CAPACITY_MAX = 100_000
LIMIT_MAX = 50
BANK_NAME_MAX = 50
BANK_NAME_PATTERN = re.compile(r"^[A-Z0-9 ]+$")  # VietQR account names: upper-case ASCII
BANK_NUMBER_PATTERN = re.compile(r"^[0-9]{4,19}$")
BIN_PATTERN = re.compile(r"^[0-9]{6}$")
RESERVED_SLUGS = frozenset({"new", "mine", "calendar", "feed"})

KIND_LABELS = {
    EventKind.WORKSHOP: _l("Workshop"),
    EventKind.PITCHING: _l("Pitching night"),
    EventKind.DEMO_DAY: _l("Demo day"),
    EventKind.CONFERENCE: _l("Conference"),
    EventKind.TECHFEST: _l("Techfest"),
    EventKind.NETWORKING: _l("Networking"),
    EventKind.TRAINING: _l("Training"),
}
STATUS_LABELS = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.PUBLISHED: _l("Published"),
    EventStatus.CANCELLED: _l("Cancelled"),
}
REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.PENDING_APPROVAL: _l("Awaiting approval"),
    RegistrationStatus.AWAITING_PAYMENT: _l("Awaiting payment"),
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITLISTED: _l("On the waitlist"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
    RegistrationStatus.CHECKED_IN: _l("Checked in"),
}
AUDIENCE_LABELS = {
    Audience.EVERYONE: _l("Everyone"),
    Audience.STARTUPS: _l("Founders of a startup"),
    Audience.STUDENTS: _l("Students of a university club"),
}
QUESTION_KIND_LABELS = {
    QuestionKind.TEXT: _l("Text"),
    QuestionKind.CHOICE: _l("Choice"),
    QuestionKind.YES_NO: _l("Yes or no"),
}

# List parameters, shared with the JSON API.
EVENT_SORTS: dict[str, tuple[ColumnElement, ...]] = {
    "soonest": (Event.starts_at.asc(), Event.id.asc()),
    "latest": (Event.starts_at.desc(), Event.id.desc()),
    "relevance": (Event.starts_at.asc(), Event.id.asc()),  # the search rank goes first
}
SORT_LABELS = {"soonest": _l("Soonest first"), "latest": _l("Latest first"), "relevance": _l("Best match")}


EVENT_FACETS = {
    "kind": frozenset(EventKind),
    "when": frozenset({"upcoming", "past"}),
    "locality": is_id_text,
}


class EventError(DomainError):
    """A rule of the events refused the change."""


# ---------------------------------------------------------------------------
# Permissions
# ---------------------------------------------------------------------------


def is_organiser(event: Event, user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(organiser.user_id == user.id for organiser in event.organisers)


@policy("event.create")
def _may_create(user: User, obj=None) -> bool:
    return user.has_role(Role.COORDINATOR)


@policy("event.manage")
def _may_manage(user: User, event: Event) -> bool:
    return user.has_role(Role.COORDINATOR) or is_organiser(event, user)


@policy("event.view_registrations")
def _may_view_registrations(user: User, event: Event) -> bool:
    return user.has_role(Role.COORDINATOR) or is_organiser(event, user)


@policy("event.name_organisers")
def _may_name_organisers(user: User, event: Event) -> bool:
    return user.has_role(Role.COORDINATOR)


# ---------------------------------------------------------------------------
# Event data
# ---------------------------------------------------------------------------


@dataclass
class EventData:
    title: str
    kind: str
    starts_at: datetime  # local (Asia/Ho_Chi_Minh) or aware
    ends_at: datetime
    summary: str = ""
    description: str = ""
    venue_name: str | None = None
    address: str | None = None
    locality_id: int | None = None
    online_url: str | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    capacity: int | None = None
    refund_deadline: datetime | None = None
    bank_bin: str | None = None
    bank_account_number: str | None = None
    bank_account_name: str | None = None

    @classmethod
    def from_event(cls, event: Event) -> EventData:
        values = {name: getattr(event, name) for name in cls.__dataclass_fields__}
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at", "refund_deadline"):
            values[name] = to_local(values[name])
        return cls(**values)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _optional(value: str | None) -> str | None:
    return _text(value) or None


def valid_url(value: str) -> bool:
    return is_web_address(value, URL_MAX)


def _checked(data: EventData, current_locality_id: int | None = None, current_bank_bin: str | None = None) -> dict:
    """Normalised column values, or EventError naming the field at fault."""
    title = " ".join(_text(data.title).split())
    if not title:
        raise EventError(_l("Please enter the event's title."), "title")
    if len(title) > TITLE_MAX:
        raise EventError(_l("A title has at most %(max)d characters.", max=TITLE_MAX), "title")
    summary = " ".join(_text(data.summary).split())
    if len(summary) > SUMMARY_MAX:
        raise EventError(_l("The summary has at most %(max)d characters.", max=SUMMARY_MAX), "summary")
    description = _text(data.description).replace("\r\n", "\n")
    if len(description) > DESCRIPTION_MAX:
        raise EventError(_l("The description has at most %(max)d characters.", max=DESCRIPTION_MAX), "description")
    if data.kind not in EVENT_FACETS["kind"]:
        raise EventError(_l("Please choose a kind of event from the list."), "kind")
    starts_at, ends_at = to_utc(data.starts_at), to_utc(data.ends_at)
    if starts_at is None:
        raise EventError(_l("Please enter when the event starts."), "starts_at")
    if ends_at is None:
        raise EventError(_l("Please enter when the event ends."), "ends_at")
    if ends_at <= starts_at:
        raise EventError(_l("The event ends after it starts."), "ends_at")
    venue_name, address, online_url = _optional(data.venue_name), _optional(data.address), _optional(data.online_url)
    if venue_name and len(venue_name) > VENUE_MAX:
        raise EventError(_l("The venue's name has at most %(max)d characters.", max=VENUE_MAX), "venue_name")
    if address and len(address) > ADDRESS_MAX:
        raise EventError(_l("The address has at most %(max)d characters.", max=ADDRESS_MAX), "address")
    if online_url and not valid_url(online_url):
        raise EventError(_l("The online link starts with http:// or https://."), "online_url")
    if not (venue_name or address or online_url):
        raise EventError(_l("Please give a venue with its address, or an online link."), "venue_name")
    locality_id = None
    if data.locality_id is not None:
        locality = keepable_locality(data.locality_id, current_locality_id)
        if locality is None:
            raise EventError(_l("Please choose the commune or ward from the list."), "locality_id")
        locality_id = locality.id
    opens, closes = to_utc(data.registration_opens_at), to_utc(data.registration_closes_at)
    if opens and closes and closes <= opens:
        raise EventError(_l("Registration closes after it opens."), "registration_closes_at")
    if closes and closes > ends_at:
        raise EventError(_l("Registration closes before the event ends."), "registration_closes_at")
    if data.capacity is not None and not 1 <= data.capacity <= CAPACITY_MAX:
        raise EventError(
            _l("The capacity is a whole number from 1 to %(max)d, or empty.", max=CAPACITY_MAX), "capacity"
        )
    refund_deadline = to_utc(data.refund_deadline)
    bank_bin = _optional(data.bank_bin)
    bank_number = _optional(data.bank_account_number)
    bank_name = " ".join(_text(data.bank_account_name).upper().split()) or None
    if bank_name:
        bank_name = fold(bank_name).upper() if not bank_name.isascii() else bank_name
    if any((bank_bin, bank_number, bank_name)):
        if not bank_bin:
            raise EventError(_l("Please choose the bank that holds the account."), "bank_bin")
        if not BIN_PATTERN.match(bank_bin) or not _known_bank(bank_bin, current_bank_bin):
            raise EventError(_l("Please choose the bank from the list."), "bank_bin")
        if not bank_number or not BANK_NUMBER_PATTERN.match(bank_number):
            raise EventError(_l("The account number has 4 to 19 digits."), "bank_account_number")
        if not bank_name or len(bank_name) > BANK_NAME_MAX or not BANK_NAME_PATTERN.match(bank_name):
            raise EventError(
                _l("The account holder's name as the bank writes it: letters, digits and spaces, at most "
                   "%(max)d characters.", max=BANK_NAME_MAX),
                "bank_account_name",
            )
    return {
        "title": title, "summary": summary, "description": description, "kind": str(data.kind),
        "starts_at": starts_at, "ends_at": ends_at, "venue_name": venue_name, "address": address,
        "locality_id": locality_id, "online_url": online_url, "registration_opens_at": opens,
        "registration_closes_at": closes, "capacity": data.capacity, "refund_deadline": refund_deadline,
        "bank_bin": bank_bin, "bank_account_number": bank_number, "bank_account_name": bank_name,
    }


def _known_bank(bank_bin: str, current_bank_bin: str | None) -> bool:
    """A bank of the shipped list (when the payments domain gave one), or the one the event already had."""
    known = hooks.banks()
    return not known or bank_bin == current_bank_bin or any(bank.bin == bank_bin for bank in known)


def _refresh_search_columns(event: Event) -> None:
    locality = db.session.get(Locality, event.locality_id) if event.locality_id else None
    event.search_name = fold(event.title)[:TITLE_MAX]
    event.search_text = folded_text(
        event.title, event.summary, event.description, *labels_in_every_language(event.kind, KIND_LABELS),
        event.venue_name, event.address, locality.name if locality else None,
    )


def _apply(event: Event, values: dict) -> None:
    for name, value in values.items():
        setattr(event, name, value)
    _refresh_search_columns(event)


def _store_cover(stream) -> str | None:
    return store_upload(stream, COVER, lambda message: EventError(message, "cover"))


def _insert_with_unique_slug(event: Event) -> None:
    base = make_slug(event.title, max_length=80) or "su-kien"
    if not insert_with_unique_slug(event, Event.slug, base, RESERVED_SLUGS):
        raise EventError(_l("Too many events are being created with this title right now. Please try again."))


def create_event(creator: User, data: EventData, cover_stream=None) -> Event:
    """A new draft event. Commits. Raises EventError (with `field`)."""
    values = _checked(data)
    with saving_with_image(None, _store_cover(cover_stream), kind=COVER) as cover:
        event = Event(created_by_id=creator.id, cover=cover, status=EventStatus.DRAFT)
        _apply(event, values)
        _insert_with_unique_slug(event)
    return event


def update_event(event: Event, data: EventData, cover_stream=None, remove_cover: bool = False) -> Event:
    """Save the event's details (the slug stays, so links keep working). Commits."""
    values = _checked(data, current_locality_id=event.locality_id, current_bank_bin=event.bank_bin)
    with saving_with_image(event.cover, _store_cover(cover_stream), remove_cover, COVER) as cover:
        _apply(event, values)
        event.cover = cover
    return event


def publish_event(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise EventError(_l("A cancelled event cannot be published again."))
    if not event.ticket_types:
        raise EventError(_l("Add at least one ticket type before publishing."))
    event.status = EventStatus.PUBLISHED
    db.session.commit()


def unpublish_event(event: Event) -> None:
    if event.status != EventStatus.PUBLISHED:
        raise EventError(_l("Only a published event can go back to draft."))
    if _active_registrations_count(event):
        raise EventError(_l("People have registered: cancel the event instead of taking it back to draft."))
    event.status = EventStatus.DRAFT
    db.session.commit()


def _active_registrations_count(event: Event) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
    )


def cancel_event(event: Event, now: datetime | None = None) -> int:
    """Cancel the event: every active registration is cancelled and refunded, and told by e-mail.

    One transaction. Returns how many registrations were cancelled.
    """
    if event.status == EventStatus.CANCELLED:
        raise EventError(_l("This event is already cancelled."))
    now = now or utcnow()
    try:
        locked = lock(event, "events.events")
        locked.status = EventStatus.CANCELLED
        locked.cancelled_at = now
        registrations = list(db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
            .options(selectinload(Registration.attendee))
            .order_by(Registration.id)
            .execution_options(populate_existing=True)
        ))
        event_url = external_url("events.detail", slug=locked.slug)
        for registration in registrations:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = now
            registration.hold_expires_at = None
            registration_cancelled.send(registration, by_organiser=True)
            attendee = registration.attendee
            queue_mail(
                attendee.email, _l("%(event)s is cancelled", event=locked.title), "events/mail/event_cancelled",
                attendee.locale, event=locked, registration=registration, attendee=attendee, event_url=event_url,
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return len(registrations)


# ---------------------------------------------------------------------------
# Ticket types
# ---------------------------------------------------------------------------


@dataclass
class TicketTypeData:
    name: str
    price_vnd: int | None = 0
    capacity: int | None = None
    per_person_limit: int | None = 1
    audience: str = Audience.EVERYONE
    requires_approval: bool = False
    description: str = ""


def _checked_ticket(data: TicketTypeData) -> dict:
    name = " ".join(_text(data.name).split())
    if not name:
        raise EventError(_l("Please name the ticket type."), "name")
    if len(name) > TICKET_NAME_MAX:
        raise EventError(_l("A ticket name has at most %(max)d characters.", max=TICKET_NAME_MAX), "name")
    description = _text(data.description)
    if len(description) > TICKET_DESCRIPTION_MAX:
        raise EventError(
            _l("The ticket description has at most %(max)d characters.", max=TICKET_DESCRIPTION_MAX), "description"
        )
    if data.price_vnd is None or not 0 <= data.price_vnd <= PRICE_MAX:
        raise EventError(_l("The price is a whole number of đồng from 0 (free) to 1,000,000,000."), "price_vnd")
    if data.capacity is None or not 1 <= data.capacity <= CAPACITY_MAX:
        raise EventError(_l("The capacity is a whole number from 1 to %(max)d.", max=CAPACITY_MAX), "capacity")
    if data.per_person_limit is None or not 1 <= data.per_person_limit <= LIMIT_MAX:
        raise EventError(
            _l("The limit per person is a whole number from 1 to %(max)d.", max=LIMIT_MAX), "per_person_limit"
        )
    if data.audience not in AUDIENCE_LABELS:
        raise EventError(_l("Please choose who may buy this ticket from the list."), "audience")
    return {
        "name": name, "description": description, "price_vnd": data.price_vnd, "capacity": data.capacity,
        "per_person_limit": data.per_person_limit, "audience": str(data.audience),
        "requires_approval": bool(data.requires_approval),
    }


def add_ticket_type(event: Event, data: TicketTypeData) -> TicketType:
    values = _checked_ticket(data)
    ticket_type = TicketType(position=len(event.ticket_types), **values)
    event.ticket_types.append(ticket_type)
    db.session.commit()
    return ticket_type


def get_ticket_type(event: Event, ticket_type_id: int) -> TicketType | None:
    return next((item for item in event.ticket_types if item.id == ticket_type_id), None)


def update_ticket_type(event: Event, ticket_type_id: int, data: TicketTypeData) -> TicketType:
    ticket_type = get_ticket_type(event, ticket_type_id)
    if ticket_type is None:
        raise EventError(_l("This ticket type does not belong to the event."))
    values = _checked_ticket(data)
    if values["price_vnd"] != ticket_type.price_vnd and _registrations_of_type(ticket_type):
        raise EventError(_l("People hold this ticket: its price can no longer change."), "price_vnd")
    for name, value in values.items():
        setattr(ticket_type, name, value)
    db.session.commit()
    return ticket_type


def _registrations_of_type(ticket_type: TicketType) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.ticket_type_id == ticket_type.id)
    )


def delete_ticket_type(event: Event, ticket_type_id: int) -> None:
    """Delete a ticket type nobody registered with. The check and the delete happen under the event's lock,
    the one `register` takes, so no registration slips in between (the foreign key refuses it anyway)."""
    try:
        event = lock_event(event)
        ticket_type = get_ticket_type(event, ticket_type_id)
        if ticket_type is None:
            raise EventError(_l("This ticket type does not belong to the event."))
        if _registrations_of_type(ticket_type):
            raise EventError(_l("People registered with this ticket type: it cannot be deleted."))
        event.ticket_types.remove(ticket_type)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


# ---------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------


@dataclass
class QuestionData:
    label: str
    kind: str = QuestionKind.TEXT
    choices: str = ""
    required: bool = False


def _checked_question(data: QuestionData) -> dict:
    label = " ".join(_text(data.label).split())
    if not label:
        raise EventError(_l("Please write the question."), "label")
    if len(label) > QUESTION_MAX:
        raise EventError(_l("A question has at most %(max)d characters.", max=QUESTION_MAX), "label")
    if data.kind not in QUESTION_KIND_LABELS:
        raise EventError(_l("Please choose a kind of question from the list."), "kind")
    choices = ""
    if data.kind == QuestionKind.CHOICE:
        if len(data.choices or "") > CHOICES_MAX:
            raise EventError(_l("The choices have at most %(max)d characters.", max=CHOICES_MAX), "choices")
        lines = list(dict.fromkeys(line.strip() for line in (data.choices or "").splitlines() if line.strip()))
        if len(lines) < 2:
            raise EventError(_l("A choice question needs at least two choices, one a line."), "choices")
        choices = "\n".join(lines)
    return {"label": label, "kind": str(data.kind), "choices": choices, "required": bool(data.required)}


def add_question(event: Event, data: QuestionData) -> Question:
    values = _checked_question(data)
    question = Question(position=len(event.questions), **values)
    event.questions.append(question)
    db.session.commit()
    return question


def get_question(event: Event, question_id: int) -> Question | None:
    return next((item for item in event.questions if item.id == question_id), None)


def update_question(event: Event, question_id: int, data: QuestionData) -> Question:
    question = get_question(event, question_id)
    if question is None:
        raise EventError(_l("This question does not belong to the event."))
    for name, value in _checked_question(data).items():
        setattr(question, name, value)
    db.session.commit()
    return question


def _move(items: list, item, direction: str) -> None:
    """Swap `item` with its neighbour above ("up") or below ("down"); positions become 0..n-1."""
    if direction not in ("up", "down"):
        raise EventError(_l("Move up or down."))
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    ordered_items = list(items)
    if 0 <= other < len(ordered_items):
        ordered_items[index], ordered_items[other] = ordered_items[other], ordered_items[index]
    for position, each in enumerate(ordered_items):
        each.position = position


def move_ticket_type(event: Event, ticket_type_id: int, direction: str) -> None:
    """The order in which the event page offers its ticket types. Commits."""
    ticket_type = get_ticket_type(event, ticket_type_id)
    if ticket_type is None:
        raise EventError(_l("This ticket type does not belong to the event."))
    _move(event.ticket_types, ticket_type, direction)
    db.session.commit()


def move_question(event: Event, question_id: int, direction: str) -> None:
    """The order in which the registration form asks its questions. Commits."""
    question = get_question(event, question_id)
    if question is None:
        raise EventError(_l("This question does not belong to the event."))
    _move(event.questions, question, direction)
    db.session.commit()


def delete_question(event: Event, question_id: int) -> None:
    question = get_question(event, question_id)
    if question is None:
        raise EventError(_l("This question does not belong to the event."))
    event.questions.remove(question)
    db.session.commit()


# ---------------------------------------------------------------------------
# Organisers
# ---------------------------------------------------------------------------


def add_organiser(event: Event, email: str) -> EventOrganiser:
    """Name a registered user as an organiser of this event (coordinators only). Commits."""
    email = normalize_email(email or "")
    if not email or len(email) > 254 or "@" not in email:
        raise EventError(_l("This is not a valid e-mail address."), "email")
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise EventError(_l("Nobody has an account with %(email)s.", email=email), "email")
    if is_organiser(event, user):
        raise EventError(_l("%(name)s already organises this event.", name=user.full_name), "email")
    organiser = EventOrganiser(user=user)
    event.organisers.append(organiser)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise EventError(_l("%(name)s already organises this event.", name=user.full_name), "email") from error
    return organiser


def remove_organiser(event: Event, organiser_id: int) -> None:
    organiser = next((item for item in event.organisers if item.id == organiser_id), None)
    if organiser is None:
        raise EventError(_l("This person does not organise the event."))
    event.organisers.remove(organiser)
    db.session.commit()


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def event_list_query(args, *, default_per_page: int = 12, max_per_page: int = 100) -> ListQuery:
    """List parameters for events (relevance first when searching, else soonest). Raises BadListQuery."""
    default_sort = "relevance" if (args.get("q") or "").strip() else "soonest"
    return parse_list_query(
        args, sorts=EVENT_SORTS, default_sort=default_sort, facets=EVENT_FACETS,
        default_per_page=default_per_page, max_per_page=max_per_page,
    )


def search_events(query: ListQuery, now: datetime | None = None) -> Page:
    """One page of published (or cancelled) events: a constant number of queries.

    `when`: upcoming (default: not yet ended) or past. Past events list the latest first
    unless a sort is chosen.
    """
    now = now or utcnow()
    statement = (
        select(Event)
        .where(Event.status.in_((EventStatus.PUBLISHED, EventStatus.CANCELLED)))
        .options(selectinload(Event.locality), selectinload(Event.ticket_types))
    )
    facets = query.facets
    if facets.get("when") == "past":
        statement = statement.where(Event.ends_at <= now)
    else:
        statement = statement.where(Event.ends_at > now)
    if "kind" in facets:
        statement = statement.where(Event.kind == facets["kind"])
    if "locality" in facets:
        statement = statement.where(Event.locality_id == int(facets["locality"]))
    statement, rank = apply_text_search(statement, query.terms, Event.search_name, Event.search_text)
    return paginate(db.session, ordered(statement, query, EVENT_SORTS, rank), query)


def seats_taken(events: list[Event]) -> dict[int, int]:
    """Seats taken per ticket type of `events`: one grouped query."""
    ids = [event.id for event in events]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Registration.ticket_type_id, func.count())
        .where(Registration.event_id.in_(ids), Registration.status.in_(SEAT_STATUSES))
        .group_by(Registration.ticket_type_id)
    ).all()
    return dict(rows)


def seats_left(event: Event, taken: dict[int, int]) -> dict[int, int]:
    """Seats left per ticket type, the overall capacity included."""
    left = {ticket_type.id: max(0, ticket_type.capacity - taken.get(ticket_type.id, 0))
            for ticket_type in event.ticket_types}
    if event.capacity is not None:
        overall = max(0, event.capacity - sum(taken.get(ticket_type.id, 0) for ticket_type in event.ticket_types))
        left = {key: min(value, overall) for key, value in left.items()}
    return left


def price_range(event: Event) -> tuple[int, int] | None:
    prices = [ticket_type.price_vnd for ticket_type in event.ticket_types]
    return (min(prices), max(prices)) if prices else None


def get_by_slug(slug: str) -> Event | None:
    if not slug or len(slug) > 90:
        return None
    return db.session.scalar(
        select(Event).where(Event.slug == slug).options(
            selectinload(Event.locality), selectinload(Event.ticket_types), selectinload(Event.questions),
            selectinload(Event.organisers).selectinload(EventOrganiser.user),
        )
    )


def public_event(slug: str, viewer=None) -> Event | None:
    """A published or cancelled event; drafts only for those who manage them."""
    event = get_by_slug(slug)
    if event is None:
        return None
    if event.status == EventStatus.DRAFT and not can(viewer, "event.manage", event):
        return None
    return event


def drafts_for(user) -> list[Event]:
    """Draft events the user manages (all drafts for coordinators)."""
    if user is None or not user.is_authenticated:
        return []
    statement = select(Event).where(Event.status == EventStatus.DRAFT).order_by(Event.starts_at)
    if not (user.has_role(Role.COORDINATOR) or user.is_admin):
        statement = statement.join(EventOrganiser).where(EventOrganiser.user_id == user.id)
    return list(db.session.scalars(statement))


def kind_label(value: str) -> str:
    return label_of(KIND_LABELS, value)


def registration_status_label(value: str) -> str:
    return label_of(REGISTRATION_STATUS_LABELS, value)


# ---------------------------------------------------------------------------
# Registration helpers for the pages (the rules are in events.registration)
# ---------------------------------------------------------------------------


@dataclass
class Group:
    label: str
    members: list[User]


def groups_of(user) -> list[Group]:
    """The people `user` may register besides themselves: members of their startups and of the
    teams of the clubs they lead."""
    if user is None or not user.is_authenticated:
        return []

    groups: list[Group] = []
    for startup in startups_with_members(user.id):
        members = [member.user for member in startup.members if member.user_id != user.id]
        if members:
            groups.append(Group(startup.name, members))
    for team in teams_led_by(user.id, member_users=True):
        members = [member.user for member in team.members if member.user_id != user.id]
        if members:
            groups.append(Group(f"{team.name} · {team.club.name}", members))
    return groups


def may_register_others(buyer, other) -> bool:
    """A founder registers their startup's members; a club leader the members of the club's teams."""
    return any(member.id == other.id for group in groups_of(buyer) for member in group.members)


def my_registrations(user) -> list[Registration]:
    return list(db.session.scalars(
        select(Registration).where(Registration.attendee_id == user.id)
        .options(selectinload(Registration.event), selectinload(Registration.ticket_type))
        .order_by(Registration.created_at.desc(), Registration.id.desc())
    ))


def registration_of(user, registration_id: int) -> Registration | None:
    """A registration the user holds, or one they ordered for someone else."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        return None
    if registration.attendee_id == user.id or registration.order.buyer_id == user.id:
        return registration
    return None


def my_active_registration(event: Event, user) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.attendee_id == user.id,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )


def event_registrations(event: Event) -> list[Registration]:
    """Every registration of the event with attendee, ticket type, buyer and answers: constant queries."""
    return list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id)
        .options(
            selectinload(Registration.attendee), selectinload(Registration.ticket_type),
            selectinload(Registration.order).selectinload(Order.buyer), selectinload(Registration.answers),
        )
        .order_by(Registration.created_at, Registration.id)
    ))


def registration_of_event(event: Event, registration_id: int) -> Registration | None:
    registration = db.session.get(Registration, registration_id)
    return registration if registration is not None and registration.event_id == event.id else None


def registrations_csv(event: Event) -> bytes:
    """The registrations as CSV with a BOM, so Excel opens Vietnamese text correctly; every cell (names,
    e-mail addresses, answers, question labels) goes through the formula guard."""
    questions = list(event.questions)
    rows = [[
        str(_l("Name")), str(_l("E-mail")), str(_l("Phone")), str(_l("Organisation")), str(_l("Ticket")),
        str(_l("Status")), str(_l("Registered at")), str(_l("Registered by")),
        *[question.label for question in questions],
    ]]
    registrations = event_registrations(event)
    organisations = organisations_of(registration.attendee_id for registration in registrations)
    for registration in registrations:
        answers = {answer.question_id: answer.value for answer in registration.answers}
        rows.append([
            registration.attendee.full_name, registration.attendee.email, registration.attendee.phone or "",
            organisations.get(registration.attendee_id, ""),
            registration.ticket_type.name, registration_label(registration),
            to_local(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            registration.order.buyer.email,
            *[answer_text(question, answers[question.id]) if question.id in answers else ""
              for question in questions],
        ])
    return csv_bytes(rows)


def registration_label(registration: Registration) -> str:
    """The status as organisers read it: a declined registration says so rather than "Cancelled"."""
    if registration.status == RegistrationStatus.CANCELLED and registration.declined_at is not None:
        return str(_l("Declined"))
    return registration_status_label(registration.status)


# ---------------------------------------------------------------------------
# Registering a startup or team: each person once, and what became of each
# ---------------------------------------------------------------------------


@dataclass
class GroupMemberChoice:
    user: User
    registration: Registration | None  # their active registration for the event, if any
    also_in: list[str]  # the other groups that list this person (they are shown once, in the first)


@dataclass
class GroupChoice:
    label: str
    members: list[GroupMemberChoice]


def _active_registrations_of(event: Event, user_ids) -> dict[int, Registration]:
    ids = list(set(user_ids))
    if not ids:
        return {}
    return {registration.attendee_id: registration for registration in db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.attendee_id.in_(ids),
                                   Registration.status.in_(ACTIVE_STATUSES))
    )}


def group_choices(user, event: Event) -> list[GroupChoice]:
    """The groups the user may register, each person listed once (in the first group that has them, with the
    others named), with their registration for the event if they hold one already. Constant queries."""
    groups = groups_of(user)
    registered = _active_registrations_of(event, [member.id for group in groups for member in group.members])
    seen: dict[int, GroupMemberChoice] = {}
    choices = []
    for group in groups:
        members = []
        for member in group.members:
            if member.id in seen:
                seen[member.id].also_in.append(group.label)
                continue
            seen[member.id] = GroupMemberChoice(member, registered.get(member.id), [])
            members.append(seen[member.id])
        choices.append(GroupChoice(group.label, members))
    return choices


def order_of(user, event: Event, order_id: int) -> Order | None:
    """An order of this event that the user placed (None for anyone else's: no probing)."""
    order = db.session.get(Order, order_id)
    if order is None or order.event_id != event.id or user is None or order.buyer_id != user.id:
        return None
    return order


@dataclass
class MemberOutcome:
    user: User
    registration: Registration | None  # the registration in this order, else their latest for the event
    in_order: bool

    @property
    def registered(self) -> bool:
        return self.registration is not None and self.registration.status in SEAT_STATUSES

    @property
    def waitlisted(self) -> bool:
        return self.registration is not None and self.registration.status == RegistrationStatus.WAITLISTED


@dataclass
class GroupOutcome:
    label: str
    members: list[MemberOutcome]


def order_outcome(order: Order, buyer: User) -> tuple[list[MemberOutcome], list[GroupOutcome]]:
    """What became of each person of the buyer's groups after an order: registered (with the status), on the
    waitlist, or not, and why not (not chosen, already registered apart, cancelled or declined). The first
    list holds the people of the order outside the groups (the buyer). Constant queries."""
    groups = groups_of(buyer)
    ordered_people = {registration.attendee_id: registration for registration in order.registrations}
    ids = {member.id for group in groups for member in group.members} | set(ordered_people)
    latest: dict[int, Registration] = {}
    for registration in db.session.scalars(
        select(Registration).where(Registration.event_id == order.event_id, Registration.attendee_id.in_(ids))
        .options(selectinload(Registration.ticket_type)).order_by(Registration.id)
    ):
        current = latest.get(registration.attendee_id)
        if current is None or registration.status != RegistrationStatus.CANCELLED \
                or current.status == RegistrationStatus.CANCELLED:
            latest[registration.attendee_id] = registration

    def outcome(user: User) -> MemberOutcome:
        if user.id in ordered_people:
            return MemberOutcome(user, ordered_people[user.id], True)
        return MemberOutcome(user, latest.get(user.id), False)

    listed: set[int] = set()
    group_outcomes = []
    for group in groups:
        members = []
        for member in group.members:
            if member.id not in listed:
                listed.add(member.id)
                members.append(outcome(member))
        group_outcomes.append(GroupOutcome(group.label, members))
    others = [MemberOutcome(registration.attendee, registration, True)
              for registration in order.registrations if registration.attendee_id not in listed]
    return others, group_outcomes


# ---------------------------------------------------------------------------
# Cancelling one's registration: what it gives back, and until when it is offered
# ---------------------------------------------------------------------------


def may_cancel_now(registration: Registration, now: datetime | None = None) -> bool:
    """The attendee (or their buyer) may cancel until the event is over; not a cancelled or used ticket."""
    now = now or utcnow()
    return (registration.status not in (RegistrationStatus.CANCELLED, RegistrationStatus.CHECKED_IN)
            and registration.event.ends_at > now)


def cancellation_refund(registration: Registration, now: datetime | None = None) -> hooks.RefundPreview | None:
    """What cancelling gives back now, as the payments domain's rules say (None: nothing was paid)."""
    return hooks.preview_refund(registration, now or utcnow())


# ---------------------------------------------------------------------------
# Registrations for organisers: answers, phone, organisation
# ---------------------------------------------------------------------------

YES_NO_LABELS = {"yes": _l("Yes"), "no": _l("No")}


def answer_text(question: Question, value: str) -> str:
    """An answer as people read it: "Có"/"Không" for a yes-or-no question, else as given."""
    if question.kind == QuestionKind.YES_NO:
        return label_of(YES_NO_LABELS, value)
    return value


def organisations_of(user_ids) -> dict[int, str]:
    """Each person's organisation for rosters: their startups, else their club teams (team · club), else their
    clubs. Three queries whatever the number of people."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    names: dict[int, list[str]] = {}
    for rows in (startup_names_of(ids), team_names_of(ids), club_names_of(ids)):
        found: dict[int, list[str]] = {}
        for user_id, name in rows:
            found.setdefault(user_id, []).append(name)
        for user_id, values in found.items():
            names.setdefault(user_id, values)
    return {user_id: "; ".join(dict.fromkeys(values)) for user_id, values in names.items()}


def event_map_url(event: Event) -> str | None:
    """A plain OpenStreetMap search for the event's address (no map tiles embedded); None when it has none."""
    place = event.address or event.venue_name
    if not place:
        return None
    parts = [place, event.locality.name if event.locality else None]
    query = ", ".join(dict.fromkeys(part for part in parts if part))
    if "thai nguyen" not in fold(query):
        query += ", Thái Nguyên"
    return "https://www.openstreetmap.org/search?query=" + quote(query, safe="")
