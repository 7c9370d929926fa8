"""Events: creating, editing, publishing and cancelling an event, and naming its organisers.

Times are entered in Asia/Ho_Chi_Minh local time and stored in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import User
from ecosystem.auth.services import normalize_email
from ecosystem.core.listing import folded_text
from ecosystem.core.localtime import to_local, to_utc
from ecosystem.core.locks import lock
from ecosystem.core.slugs import insert_with_unique_slug
from ecosystem.core.text import fold, make_slug
from ecosystem.core.uploads import COVER, saving_with_image, store_upload
from ecosystem.core.urls import external_url
from ecosystem.events import hooks
from ecosystem.events.models import (
    ACTIVE_STATUSES,
    Event,
    EventOrganiser,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from ecosystem.events.services import (
    ADDRESS_MAX,
    BANK_NAME_MAX,
    BANK_NAME_PATTERN,
    BANK_NUMBER_PATTERN,
    BIN_PATTERN,
    CAPACITY_MAX,
    DESCRIPTION_MAX,
    EVENT_FACETS,
    KIND_LABELS,
    RESERVED_SLUGS,
    SUMMARY_MAX,
    TITLE_MAX,
    VENUE_MAX,
    EventError,
    _optional,
    _text,
    is_organiser,
    valid_url,
)
from ecosystem.events.signals import registration_cancelled
from ecosystem.extensions import db
from ecosystem.i18n import labels_in_every_language
from ecosystem.mail.services import queue_mail
from ecosystem.places.models import Locality
from ecosystem.places.services import keepable_locality
from ecosystem.timeutil import utcnow

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
