"""Techfest delegation calls: listing and showing them, their labels, creating and editing them (coordinators).

Quotas and decisions (accept, reserve, withdraw, offers) live in `decisions.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as date_type
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import User
from ecosystem.auth.permissions import can
from ecosystem.core.listing import ListQuery, Page, apply_text_search, folded_text, ordered, paginate, parse_list_query
from ecosystem.core.text import fold, make_slug
from ecosystem.delegations import decisions, documents
from ecosystem.delegations.models import (
    Allocation,
    ApplicationStatus,
    CallStatus,
    Category,
    DelegationCall,
)
from ecosystem.delegations.policies import DelegationError
from ecosystem.extensions import db
from ecosystem.i18n import label_of
from ecosystem.timeutil import utcnow

NAME_MAX = 160
CITY_MAX = 80
TEXT_MAX = 10_000
QUOTA_MAX = 10_000
# Paths under /techfest/ that are pages, not calls.
RESERVED_SLUGS = frozenset({"new", "mine", "applications"})

CATEGORY_LABELS = {
    Category.BOOTH: _l("Booth"),
    Category.PITCHING: _l("Pitching competition"),
    Category.EXHIBITION: _l("Exhibition only"),
}
CALL_STATUS_LABELS = {
    CallStatus.DRAFT: _l("Draft"),
    CallStatus.OPEN: _l("Open"),
    CallStatus.CLOSED: _l("Closed"),
}

APPLICATION_STATUS_LABELS = {
    ApplicationStatus.DRAFT: _l("Draft"),
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
    ApplicationStatus.ACCEPTED: _l("Accepted"),
    ApplicationStatus.RESERVE: _l("On the reserve list"),
    ApplicationStatus.OFFERED: _l("Place offered"),
    ApplicationStatus.REJECTED: _l("Not selected"),
}


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def is_window_open(call: DelegationCall, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return call.status == CallStatus.OPEN and call.applications_open_at <= now < call.applications_close_at


CALL_SORTS = {
    # Open calls first, then drafts (coordinators only), then closed ones; the newest event first.
    "status": (case((DelegationCall.status == CallStatus.OPEN, 0), (DelegationCall.status == CallStatus.DRAFT, 1),
                    else_=2), DelegationCall.event_starts_on.desc(), DelegationCall.id.desc()),
    "newest": (DelegationCall.event_starts_on.desc(), DelegationCall.id.desc()),
    "oldest": (DelegationCall.event_starts_on.asc(), DelegationCall.id.asc()),
    "relevance": (DelegationCall.event_starts_on.desc(), DelegationCall.id.desc()),  # the search rank goes first
}
SORT_LABELS = {"status": _l("Open calls first"), "newest": _l("Newest event first"),
               "oldest": _l("Oldest event first"), "relevance": _l("Best match")}
CALL_FACETS = {"status": frozenset(CallStatus)}


def call_list_query(args) -> ListQuery:
    """?q=, ?status=, ?sort=, ?page= of the calls list. Raises BadListQuery."""
    default_sort = "relevance" if (args.get("q") or "").strip() else "status"
    return parse_list_query(args, sorts=CALL_SORTS, default_sort=default_sort, facets=CALL_FACETS,
                            default_per_page=12, max_per_page=100)


def search_calls(query: ListQuery, viewer=None) -> Page:
    """One page of published calls (drafts too for coordinators), accent-insensitive:
    three queries whatever the number of calls (count, page, their allocations)."""
    statement = select(DelegationCall).options(selectinload(DelegationCall.allocations))
    if not can(viewer, "delegation.manage"):
        statement = statement.where(DelegationCall.status != CallStatus.DRAFT)
    if "status" in query.facets:
        statement = statement.where(DelegationCall.status == query.facets["status"])
    statement, rank = apply_text_search(statement, query.terms, DelegationCall.search_name,
                                        DelegationCall.search_text)
    return paginate(db.session, ordered(statement, query, CALL_SORTS, rank), query)


def call_for_viewer(slug: str, viewer=None) -> DelegationCall | None:
    call = db.session.scalar(
        select(DelegationCall)
        .where(DelegationCall.slug == slug)
        .options(
            selectinload(DelegationCall.allocations).selectinload(Allocation.unit),
            selectinload(DelegationCall.criteria_items),
        )
    )
    if call is None:
        return None
    if call.status == CallStatus.DRAFT and not can(viewer, "delegation.manage", call):
        return None
    return call


@dataclass(frozen=True)
class Quota:
    allocation: Allocation
    booths_used: int
    places_used: int

    @property
    def booths_free(self) -> int:
        return max(self.allocation.booths - self.booths_used, 0)

    @property
    def places_free(self) -> int:
        return max(self.allocation.places - self.places_used, 0)


def quotas(call: DelegationCall) -> list[Quota]:
    return [Quota(allocation, *decisions.places_used(allocation)) for allocation in call.allocations]


def category_label(value: str) -> str:
    return label_of(CATEGORY_LABELS, value)


def application_status_label(value: str) -> str:
    return label_of(APPLICATION_STATUS_LABELS, value)


def status_label(value: str) -> str:
    return label_of(CALL_STATUS_LABELS, value)


# ---------------------------------------------------------------------------
# Calls: create and edit (coordinators)
# ---------------------------------------------------------------------------


@dataclass
class CallData:
    name: str
    host_city: str
    event_starts_on: datetime
    event_ends_on: datetime
    applications_open_at: datetime
    applications_close_at: datetime
    description: str = ""
    criteria: str = ""
    required_documents: str = ""
    roster_locked_at: datetime | None = None
    total_booths: int = 0
    total_places: int = 0
    status: str = CallStatus.DRAFT


def _checked(data: CallData) -> CallData:
    name = " ".join((data.name or "").split())
    if not name:
        raise DelegationError(_l("Please enter the call's name."), "name")
    if len(name) > NAME_MAX:
        raise DelegationError(_l("A name has at most %(max)d characters.", max=NAME_MAX), "name")
    city = " ".join((data.host_city or "").split())
    if not city or len(city) > CITY_MAX:
        raise DelegationError(_l("Please enter the host city (at most %(max)d characters).", max=CITY_MAX),
                              "host_city")
    for name_ in ("description", "criteria", "required_documents"):
        if len(getattr(data, name_) or "") > TEXT_MAX:
            raise DelegationError(_l("This text has at most %(max)d characters.", max=TEXT_MAX), name_)
    if data.event_ends_on < data.event_starts_on:
        raise DelegationError(_l("The event cannot end before it starts."), "event_ends_on")
    if data.applications_close_at <= data.applications_open_at:
        raise DelegationError(_l("Applications must close after they open."), "applications_close_at")
    for name_ in ("total_booths", "total_places"):
        value = getattr(data, name_)
        if value is None or not 0 <= value <= QUOTA_MAX:
            raise DelegationError(_l("Please enter a number between 0 and %(max)d.", max=QUOTA_MAX), name_)
    if data.status not in set(CallStatus):
        raise DelegationError(_l("Please choose a status from the list."), "status")
    data.name, data.host_city = name, city
    for name_ in ("description", "criteria", "required_documents"):
        setattr(data, name_, (getattr(data, name_) or "").strip().replace("\r\n", "\n"))
    return data


def refresh_search_columns(call: DelegationCall) -> None:
    call.search_name = fold(call.name)[:NAME_MAX]
    call.search_text = folded_text(call.name, call.host_city, call.description, call.criteria,
                                   str(call.event_starts_on.year) if call.event_starts_on else None)


def _apply(call: DelegationCall, data: CallData) -> None:
    if data.roster_locked_at != call.roster_locked_at:
        call.roster_lock_announced_at = None  # a new lock date is announced again when it comes
    for name_ in CallData.__dataclass_fields__:
        setattr(call, name_, getattr(data, name_))
    refresh_search_columns(call)


def _free_slug(name: str) -> str:
    base = make_slug(name)[:80] or "techfest"
    if base in RESERVED_SLUGS:
        base = f"{base}-techfest"
    taken = set(db.session.scalars(select(DelegationCall.slug).where(DelegationCall.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _checked_notice(notice_stream) -> bytes | None:
    return documents.check_notice(notice_stream) if notice_stream is not None else None


def create_call(coordinator: User, data: CallData, *, notice_stream=None) -> DelegationCall:
    """Create a call, with its official notice (a PDF) if one is sent. Commits."""
    data = _checked(data)
    notice = _checked_notice(notice_stream)
    call = DelegationCall(created_by_id=coordinator.id)
    _apply(call, data)
    call.notice_file = documents.store_notice(notice) if notice is not None else None
    try:
        for _attempt in range(3):
            call.slug = _free_slug(data.name)
            try:
                with db.session.begin_nested():
                    db.session.add(call)
                    db.session.flush()
            except IntegrityError:
                continue
            db.session.commit()
            return call
    except BaseException:
        db.session.rollback()
        documents.delete_notice(call.notice_file)
        raise
    db.session.rollback()
    documents.delete_notice(call.notice_file)
    raise DelegationError(_l("Another call with this name was just created. Please try again."), "name")


def update_call(call: DelegationCall, data: CallData, *, notice_stream=None, remove_notice: bool = False) -> None:
    """Save the call; a new notice replaces the old one, `remove_notice` takes it off. Commits."""
    data = _checked(data)
    if data.total_booths < sum(a.booths for a in call.allocations) or data.total_places < sum(
        a.places for a in call.allocations
    ):
        db.session.rollback()
        raise DelegationError(
            _l("The allocations already use more than these totals. Reduce the allocations first."), "total_places"
        )
    notice = _checked_notice(notice_stream)
    old_notice = call.notice_file
    new_notice = documents.store_notice(notice) if notice is not None else None
    try:
        _apply(call, data)
        if new_notice is not None:
            call.notice_file = new_notice
        elif remove_notice:
            call.notice_file = None
        db.session.commit()
    except BaseException:
        db.session.rollback()
        documents.delete_notice(new_notice)
        raise
    if old_notice and old_notice != call.notice_file:
        documents.delete_notice(old_notice)


SIGNER_NAME_MAX = 120
DECISION_NUMBER_MAX = 40
DECISION_NUMBER = re.compile(r"^[0-9]{1,6}/[A-Za-zĐđ0-9.-]{1,30}$")


@dataclass
class DecisionDetails:
    """What the coordinator fills in on the decision letter: its number and symbol, date and signer."""

    number: str
    date: date_type | None
    signer_name: str
    signed_on_behalf: bool = False


def save_decision_details(call: DelegationCall, details: DecisionDetails) -> None:
    """Record the decision letter's number ("123/QĐ-SKHCN"), date and signer. Commits."""
    number = "".join((details.number or "").split())
    if number and (len(number) > DECISION_NUMBER_MAX or not DECISION_NUMBER.match(number)):
        raise DelegationError(_l("Write the number and symbol as on the register, for example 123/QĐ-SKHCN."),
                              "number")
    signer = " ".join((details.signer_name or "").split())
    if len(signer) > SIGNER_NAME_MAX or any(not char.isprintable() for char in signer):
        raise DelegationError(_l("At most %(max)d characters.", max=SIGNER_NAME_MAX), "signer_name")
    if details.date is not None and not 2000 <= details.date.year <= 2100:
        raise DelegationError(_l("Please enter the date of the decision."), "date")
    call.decision_number = number or None
    call.decision_date = details.date
    call.decision_signer_name = signer or None
    call.decision_signed_on_behalf = bool(details.signed_on_behalf)
    db.session.commit()
