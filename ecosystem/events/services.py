"""Events: the shared vocabulary of the domain: limits, labels, list parameters, the error, and who may
manage an event (its `@policy` registrations).

The use cases live beside it: `events.management` (creating, editing, publishing, cancelling an event and
naming its organisers), `events.ticket_types` (ticket types and questions), `events.queries` (search,
reading, one's registrations, group registration) and `events.exports` (rosters as CSV, labels). Seat rules
live in `events.registration`. Times are entered in Asia/Ho_Chi_Minh local time and stored in UTC.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import policy
from ecosystem.core.errors import DomainError
from ecosystem.core.urls import is_web_address
from ecosystem.core.validation import is_id_text
from ecosystem.events.models import Audience, Event, EventKind, EventStatus, QuestionKind, RegistrationStatus
from ecosystem.i18n import label_of

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


def _text(value: str | None) -> str:
    return (value or "").strip()


def _optional(value: str | None) -> str | None:
    return _text(value) or None


def valid_url(value: str) -> bool:
    return is_web_address(value, URL_MAX)

def kind_label(value: str) -> str:
    return label_of(KIND_LABELS, value)


def registration_status_label(value: str) -> str:
    return label_of(REGISTRATION_STATUS_LABELS, value)
