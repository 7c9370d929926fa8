"""Techfest delegation calls and applications: the rules the views of `delegations` rely on.

Quotas and decisions (accept, reserve, withdraw, offers) live in `decisions.py`; this module lists and
shows calls, creates and edits them, and holds the per-object policies of the domain.
"""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date as date_type
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import can, policy
from ecosystem.auth.services import find_user_by_email
from ecosystem.clubs.membership import led_team_ids, teams_led_by
from ecosystem.clubs.services import is_leader
from ecosystem.core.errors import DomainError
from ecosystem.core.listing import ListQuery, Page, apply_text_search, folded_text, ordered, paginate, parse_list_query
from ecosystem.core.text import fold, make_slug
from ecosystem.core.uploads import upload_root
from ecosystem.core.urls import external_url
from ecosystem.core.validation import PHONE_MESSAGE, clean_phone, is_phone
from ecosystem.delegations import decisions, documents
from ecosystem.delegations.models import (
    Allocation,
    Application,
    ApplicationStatus,
    CallReviewer,
    CallStatus,
    Category,
    Criterion,
    DelegationCall,
    Score,
    Traveller,
)
from ecosystem.delegations.review import REVIEW_STATUSES
from ecosystem.directory.models import Component, ComponentStatus, component_startups
from ecosystem.extensions import db
from ecosystem.i18n import format_when, label_of
from ecosystem.mail.services import queue_mail
from ecosystem.startups.membership import owned_startup_ids, startups_with_members
from ecosystem.startups.services import is_owner
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


class DelegationError(DomainError):
    """A rule of the delegations refused the change."""


# ---------------------------------------------------------------------------
# Policies (admins pass every check)
# ---------------------------------------------------------------------------


def _is_coordinator(user: User) -> bool:
    return user.has_role(Role.COORDINATOR)


def _leads_team_club(user: User, team) -> bool:
    return team is not None and is_leader(user, team.club)


def _owns_startup(user: User, startup) -> bool:
    return startup is not None and is_owner(startup, user)


def is_applicant(user: User, application: Application) -> bool:
    """The startup's owner or the leader of the team's club."""
    if application.startup_id is not None:
        return _owns_startup(user, application.startup)
    return _leads_team_club(user, application.team)


@policy("delegation.manage")
def _may_manage(user: User, call: DelegationCall | None = None) -> bool:
    return _is_coordinator(user)


@policy("application.view")
def _may_view_application(user: User, application: Application) -> bool:
    return _is_coordinator(user) or is_applicant(user, application)


@policy("application.edit")
def _may_edit_application(user: User, application: Application) -> bool:
    return _is_coordinator(user) or is_applicant(user, application)


@policy("allocation.nominate")
def _may_nominate(user: User, allocation: Allocation) -> bool:
    return allocation.representative_id is not None and allocation.representative_id == user.id


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


def has_applied(*, startup_id: int | None = None, team_id: int | None = None) -> bool:
    """Any application of this startup or student team, drafts included (they may not be deleted then)."""
    column, value = (Application.startup_id, startup_id) if startup_id is not None else (Application.team_id, team_id)
    return db.session.scalar(select(Application.id).where(column == value).limit(1)) is not None


def applications_of(user) -> list[Application]:
    """The applications `user` may act on as applicant (startups they own, teams of clubs they lead)."""
    if user is None or not user.is_authenticated:
        return []
    statement = (
        select(Application)
        .where(
            Application.startup_id.in_(owned_startup_ids(user.id)) | Application.team_id.in_(led_team_ids(user.id))
        )
        .options(
            selectinload(Application.call),
            selectinload(Application.startup),
            selectinload(Application.team),
            selectinload(Application.allocation),
        )
        .order_by(Application.created_at.desc(), Application.id.desc())
    )
    return list(db.session.scalars(statement))


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


# ---------------------------------------------------------------------------
# Allocations, rubric and reviewers (coordinators)
# ---------------------------------------------------------------------------

ALLOCATION_NAME_MAX = 160
CRITERION_NAME_MAX = 120
WEIGHT_MAX = 100
ROWS_MAX = 50


@dataclass
class AllocationInput:
    """One row of the allocations form, as typed."""

    name: str
    booths: int | None
    places: int | None
    unit_id: int | None = None
    representative_email: str | None = None
    is_open_pool: bool = False
    id: int | None = None


def allocation_label(allocation: Allocation | None, none_label: str = "") -> str:
    """An allocation as people read it: its name, and its unit's name only when the name does not already say it
    ("Trường Đại học Nông Lâm" for an allocation named after its unit; "Suất sinh viên · Trường Đại học Nông Lâm"
    otherwise). Used by every page and export that shows an allocation."""
    if allocation is None:
        return none_label
    name = allocation.name
    unit = allocation.unit
    if unit is not None and fold(unit.name).casefold() not in fold(name).casefold():
        return f"{name} · {unit.name}"
    return name


def unit_choices() -> list:
    """Approved directory components that can nominate (universities, incubators, clubs' universities ...)."""
    return list(db.session.scalars(
        select(Component).where(Component.status == ComponentStatus.APPROVED).order_by(Component.search_name)
    ))


def _user_by_email(email: str, field: str) -> User:
    email = (email or "").strip()
    user = find_user_by_email(email) if email and len(email) <= 254 else None
    if user is None:
        raise DelegationError(_l("No account uses the e-mail address “%(email)s”.", email=email[:254]), field)
    return user


def save_allocations(call: DelegationCall, inputs: list[AllocationInput]) -> None:
    """Replace the call's split of its quota (checked again, under a row lock, by `decisions`). Commits."""
    if len(inputs) > ROWS_MAX:
        raise DelegationError(_l("At most %(max)d allocations.", max=ROWS_MAX))
    existing_ids = {allocation.id for allocation in call.allocations}
    rows = []
    for number, row in enumerate(inputs, start=1):
        name = " ".join((row.name or "").split())
        if not name or len(name) > ALLOCATION_NAME_MAX:
            raise DelegationError(_l("Row %(row)d: please enter a name of at most %(max)d characters.",
                                     row=number, max=ALLOCATION_NAME_MAX))
        for value in (row.booths, row.places):
            if value is None or not 0 <= value <= QUOTA_MAX:
                raise DelegationError(_l("Row %(row)d: booths and places are whole numbers from 0 to %(max)d.",
                                         row=number, max=QUOTA_MAX))
        if row.unit_id is not None and db.session.scalar(
            select(Component.id).where(Component.id == row.unit_id, Component.status == ComponentStatus.APPROVED)
        ) is None:
            raise DelegationError(_l("Row %(row)d: please choose a unit from the list.", row=number))
        if row.id is not None and row.id not in existing_ids:
            raise DelegationError(_l("Row %(row)d does not belong to this call. Reload the page.", row=number))
        representative = None
        if row.representative_email and row.representative_email.strip():
            representative = _user_by_email(row.representative_email, "allocations")
        rows.append(decisions.AllocationRow(
            name=name, booths=row.booths, places=row.places, unit_id=row.unit_id,
            representative_id=representative.id if representative else None,
            is_open_pool=bool(row.is_open_pool), id=row.id,
        ))
    try:
        decisions.set_allocations(call, rows)
    except decisions.DecisionError as error:
        db.session.rollback()
        raise DelegationError(error.message) from error


@dataclass
class CriterionInput:
    """One row of the rubric form: `id` is the criterion's (None for a new row), `row` the form's row index."""

    name: str
    weight: int | None
    id: int | None = None
    row: int | None = None


def _rubric_key(name: str) -> str:
    return fold(name).casefold()


def save_rubric(call: DelegationCall, criteria: list[CriterionInput], reviewer_emails: list[str]) -> int:
    """Replace the rubric and the invited reviewers. Commits; returns how many scores were dropped.

    A criterion is known by its id, never by its row or its name: a row that carries a criterion's id keeps
    that criterion (and its scores) whatever its new position, name or weight; a row without an id is a new
    criterion; a criterion whose id is no longer sent is removed with only its own scores. Two rows may not
    have the same name (compared without accents or case).
    """
    if len(criteria) > ROWS_MAX or len(reviewer_emails) > ROWS_MAX:
        raise DelegationError(_l("At most %(max)d rows.", max=ROWS_MAX))
    existing_ids = {criterion.id for criterion in call.criteria_items}
    cleaned = []
    seen: set[str] = set()
    seen_ids: set[int] = set()
    for number, item in enumerate(criteria, start=1):
        row = item.row if item.row is not None else number - 1
        name = " ".join((item.name or "").split())
        if not name or len(name) > CRITERION_NAME_MAX:
            raise DelegationError(_l("Criterion %(row)d: please enter a name of at most %(max)d characters.",
                                     row=number, max=CRITERION_NAME_MAX), f"criteria-{row}-name")
        if item.weight is None or not 1 <= item.weight <= WEIGHT_MAX:
            raise DelegationError(_l("Criterion %(row)d: the weight is a whole number from 1 to %(max)d.",
                                     row=number, max=WEIGHT_MAX), f"criteria-{row}-weight")
        if item.id is not None and (item.id not in existing_ids or item.id in seen_ids):
            raise DelegationError(_l("Criterion %(row)d does not belong to this rubric. Reload the page.",
                                     row=number), f"criteria-{row}-name")
        if _rubric_key(name) in seen:
            raise DelegationError(_l("Criterion %(row)d: “%(name)s” is listed twice.", row=number, name=name),
                                  f"criteria-{row}-name")
        seen.add(_rubric_key(name))
        if item.id is not None:
            seen_ids.add(item.id)
        cleaned.append((item.id, name, item.weight))
    reviewers = {}
    for email in reviewer_emails:
        if email.strip():
            user = _user_by_email(email, "reviewers")
            reviewers[user.id] = user
    try:
        current = {criterion.id: criterion for criterion in call.criteria_items}
        for position, (criterion_id, name, weight) in enumerate(cleaned):
            criterion = current.pop(criterion_id, None) if criterion_id is not None else None
            if criterion is None:
                criterion = Criterion()
                call.criteria_items.append(criterion)
            criterion.name, criterion.weight, criterion.position = name, weight, position
        removed = list(current.values())
        dropped = 0
        if removed:
            dropped = db.session.scalar(select(func.count()).select_from(Score).where(
                Score.criterion_id.in_([criterion.id for criterion in removed])))
        for criterion in removed:
            call.criteria_items.remove(criterion)
        for reviewer in list(call.reviewers):
            if reviewer.user_id not in reviewers:
                call.reviewers.remove(reviewer)
            else:
                reviewers.pop(reviewer.user_id)
        for user_id in reviewers:
            call.reviewers.append(CallReviewer(user_id=user_id))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return dropped


# ---------------------------------------------------------------------------
# Applications (a startup's owner, a club leader for a team of the club)
# ---------------------------------------------------------------------------

PRODUCT_NAME_MAX = 160
PRODUCT_DESCRIPTION_MAX = 5_000
BOOTH_SIZE_MAX = 40
OTHER_NEEDS_MAX = 500
LEGAL_NAME_MAX = 120
TRAVELLER_ROLE_MAX = 80
DIETARY_MAX = 200
TRAVELLERS_MAX = 20
DECK_MAX_BYTES = 10 * 1024 * 1024
DECK_FOLDER = "decks"
DECK_NAME = re.compile(r"^[A-Za-z0-9_-]{22,64}\.pdf$")


@dataclass(frozen=True)
class Applicant:
    """A startup or a student team that may apply; `key` is "startup-<id>" or "team-<id>"."""

    key: str
    name: str
    startup: object | None = None
    team: object | None = None

    @property
    def members(self) -> list[User]:
        holder = self.startup or self.team
        return [member.user for member in holder.members]

    @property
    def unit_ids(self) -> set[int]:
        if self.team is not None:
            return {self.team.club.university_id}

        return set(db.session.scalars(
            select(component_startups.c.component_id).where(component_startups.c.startup_id == self.startup.id)
        ))


def applicants_for(user) -> list[Applicant]:
    """The startups `user` owns and the teams of the clubs they lead."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    startups = startups_with_members(user.id, owned_only=True)
    teams = teams_led_by(user.id)
    return [Applicant(f"startup-{s.id}", s.name, startup=s) for s in startups] + [
        Applicant(f"team-{t.id}", f"{t.name} ({t.club.name})", team=t) for t in teams
    ]


def allocation_choices(call: DelegationCall, applicant: Applicant | None) -> list[Allocation]:
    """The open pool and the allocations of the applicant's own units."""
    units = applicant.unit_ids if applicant else set()
    return [a for a in call.allocations if a.is_open_pool or (a.unit_id is not None and a.unit_id in units)]


@dataclass
class TravellerData:
    user_id: int | None
    legal_name: str
    phone: str
    role: str = ""
    dietary_needs: str = ""
    row: int | None = None  # the form's row index, so that a message lands on its row's field


@dataclass
class ApplicationData:
    product_name: str
    category: str
    product_description: str = ""
    allocation_id: int | None = None
    booth_size: str = ""
    needs_power: bool = False
    needs_accommodation: bool = False
    other_needs: str = ""
    travellers: list[TravellerData] = field(default_factory=list)


def checked_text(value: str | None, limit: int, message, field_name: str, required: bool = False) -> str:
    value = (value or "").strip().replace("\r\n", "\n")
    if required and not value:
        raise DelegationError(message, field_name)
    if len(value) > limit or any(ord(char) < 32 and char not in "\n\t" for char in value):
        raise DelegationError(message, field_name)
    return value


def _checked_travellers(applicant: Applicant, travellers: list[TravellerData]) -> list[TravellerData]:
    """The travellers, cleaned; a refusal names the field of its row ("travellers-2-phone") when the row is
    known, else the travellers as a whole."""
    if len(travellers) > TRAVELLERS_MAX:
        raise DelegationError(_l("At most %(max)d travellers.", max=TRAVELLERS_MAX), "travellers")
    member_ids = {user.id for user in applicant.members}
    seen = set()
    cleaned = []
    for position, traveller in enumerate(travellers):
        number = (traveller.row if traveller.row is not None else position) + 1

        def at(name: str, row=traveller.row) -> str:
            return f"travellers-{row}-{name}" if row is not None else "travellers"

        if traveller.user_id not in member_ids:
            raise DelegationError(
                _l("Traveller %(row)d is not a member of %(name)s.", row=number, name=applicant.name), at("user_id")
            )
        if traveller.user_id in seen:
            raise DelegationError(_l("Traveller %(row)d is listed twice.", row=number), at("user_id"))
        seen.add(traveller.user_id)
        legal_name = " ".join((traveller.legal_name or "").split())
        if not legal_name or len(legal_name) > LEGAL_NAME_MAX:
            raise DelegationError(_l("Traveller %(row)d: enter the name as on the ID card or passport (at most "
                                     "%(max)d characters).", row=number, max=LEGAL_NAME_MAX), at("legal_name"))
        phone = clean_phone(traveller.phone)
        if not is_phone(phone):
            raise DelegationError(PHONE_MESSAGE, at("phone"))
        message = _l("Traveller %(row)d: a text is too long.", row=number)
        cleaned.append(TravellerData(
            user_id=traveller.user_id, legal_name=legal_name, phone=phone,
            role=checked_text(traveller.role, TRAVELLER_ROLE_MAX, message, at("role")),
            dietary_needs=checked_text(traveller.dietary_needs, DIETARY_MAX, message, at("dietary_needs")),
            row=traveller.row,
        ))
    return cleaned


def _checked_application(call: DelegationCall, applicant: Applicant, data: ApplicationData) -> ApplicationData:
    product_name = " ".join((data.product_name or "").split())
    if not product_name or len(product_name) > PRODUCT_NAME_MAX:
        raise DelegationError(_l("Please enter the product's name (at most %(max)d characters).",
                                 max=PRODUCT_NAME_MAX), "product_name")
    if data.category not in set(Category):
        raise DelegationError(_l("Please choose a category from the list."), "category")
    if data.allocation_id is not None and data.allocation_id not in {
        a.id for a in allocation_choices(call, applicant)
    }:
        raise DelegationError(_l("Please choose the open pool or the allocation of your own unit."), "allocation_id")
    return ApplicationData(
        product_name=product_name, category=data.category, allocation_id=data.allocation_id,
        product_description=checked_text(data.product_description, PRODUCT_DESCRIPTION_MAX, _l(
            "The description has at most %(max)d characters.", max=PRODUCT_DESCRIPTION_MAX), "product_description"),
        booth_size=checked_text(data.booth_size, BOOTH_SIZE_MAX,
                                _l("At most %(max)d characters.", max=BOOTH_SIZE_MAX), "booth_size"),
        needs_power=bool(data.needs_power), needs_accommodation=bool(data.needs_accommodation),
        other_needs=checked_text(data.other_needs, OTHER_NEEDS_MAX,
                                 _l("At most %(max)d characters.", max=OTHER_NEEDS_MAX), "other_needs"),
        travellers=_checked_travellers(applicant, data.travellers),
    )


def _check_window(call: DelegationCall) -> None:
    if not is_window_open(call):
        raise DelegationError(_l("Applications to %(call)s are accepted from %(opens)s to %(closes)s only.",
                                 call=call.name, opens=format_when(call.applications_open_at),
                                 closes=format_when(call.applications_close_at)))


def check_deck(stream) -> bytes:
    """The uploaded pitch deck's bytes if it is a PDF of at most 10 MB (checked by content)."""
    data = stream.read(DECK_MAX_BYTES + 1)
    if len(data) > DECK_MAX_BYTES:
        raise DelegationError(_l("The pitch deck is larger than 10 MB. Please send a smaller PDF."), "pitch_deck")
    if not data:
        raise DelegationError(_l("The file is empty."), "pitch_deck")
    tail = data[-2048:]
    if not data.startswith(b"%PDF-") or b"%%EOF" not in tail or b"obj" not in data:
        raise DelegationError(_l("The pitch deck must be a PDF file."), "pitch_deck")
    return data


def _store_deck(data: bytes) -> str:
    folder = upload_root() / DECK_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(24)}.pdf"
    (folder / name).write_bytes(data)
    return name


def _delete_deck(name: str | None) -> None:
    if name and DECK_NAME.match(name):
        (upload_root() / DECK_FOLDER / name).unlink(missing_ok=True)


def deck_path(application: Application):
    if not application.pitch_deck or not DECK_NAME.match(application.pitch_deck):
        return None
    path = upload_root() / DECK_FOLDER / application.pitch_deck
    return path if path.is_file() else None


@policy("application.deck")
def _may_download_deck(user: User, application: Application) -> bool:
    if _is_coordinator(user) or is_applicant(user, application):
        return True
    # Reviewers read the decks of what they review: not drafts, not withdrawn applications.
    return application.status in REVIEW_STATUSES and any(
        reviewer.user_id == user.id for reviewer in application.call.reviewers)


def _write(application: Application, data: ApplicationData) -> None:
    for name in ("product_name", "product_description", "category", "allocation_id", "needs_power",
                 "needs_accommodation"):
        setattr(application, name, getattr(data, name))
    application.booth_size = data.booth_size or None
    application.other_needs = data.other_needs or None
    application.travellers.clear()
    db.session.flush()
    for traveller in data.travellers:
        application.travellers.append(Traveller(
            user_id=traveller.user_id, legal_name=traveller.legal_name, phone=traveller.phone,
            role=traveller.role or None, dietary_needs=traveller.dietary_needs or None,
        ))


def get_application(application_id: int) -> Application | None:
    if not 0 < application_id < 2**31:
        return None
    return db.session.scalar(
        select(Application).where(Application.id == application_id).options(
            selectinload(Application.travellers).selectinload(Traveller.user),
            selectinload(Application.call).selectinload(DelegationCall.allocations),
            selectinload(Application.allocation),
        )
    )


def save_application(call: DelegationCall, applicant: Applicant, user: User, data: ApplicationData, *,
                     deck_stream=None, submit: bool = False, application: Application | None = None,
                     pending_deck=None) -> Application:
    """Create or update a draft; with `submit`, submit it (inside the window only). Commits.

    The deck is `deck_stream` (a new file) or else `pending_deck`, the user's deck kept after a failed form
    (`documents.keep_pending_deck`), which is used up once the application is saved.
    """
    _check_window(call)
    if application is not None and application.status != ApplicationStatus.DRAFT:
        raise DelegationError(_l("A submitted application cannot be changed any more."))
    data = _checked_application(call, applicant, data)
    if deck_stream is None and pending_deck is not None and pending_deck.user_id == user.id:
        path = documents.pending_path(pending_deck)
        if path is not None:
            with path.open("rb") as pending_file:
                deck_stream = io.BytesIO(pending_file.read(DECK_MAX_BYTES + 1))
        else:
            pending_deck = None
    else:
        pending_deck = None
    pending_name = pending_deck.stored_name if pending_deck is not None else None
    deck = check_deck(deck_stream) if deck_stream is not None else None
    if submit and not data.travellers:
        raise DelegationError(_l("Please name at least one member who travels."), "travellers")
    if submit and deck is None and (application is None or not application.pitch_deck):
        raise DelegationError(_l("Please attach the pitch deck (PDF)."), "pitch_deck")
    new_deck = _store_deck(deck) if deck is not None else None
    old_deck = application.pitch_deck if application is not None else None
    try:
        if application is None:
            application = Application(
                call_id=call.id, submitted_by_id=user.id,
                startup_id=applicant.startup.id if applicant.startup else None,
                team_id=applicant.team.id if applicant.team else None,
            )
            db.session.add(application)
        _write(application, data)
        if new_deck:
            application.pitch_deck = new_deck
        if submit:
            application.status = ApplicationStatus.SUBMITTED
            application.submitted_at = utcnow()
            application.submitted_by_id = user.id
        if pending_deck is not None:
            documents.forget_pending(pending_deck)
        db.session.flush()
        if submit:
            _mail_submission(application, user)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        _delete_deck(new_deck)
        raise DelegationError(_l("%(name)s already has an application to this call.", name=applicant.name)) from error
    except BaseException:
        db.session.rollback()
        _delete_deck(new_deck)
        raise
    if new_deck and old_deck:
        _delete_deck(old_deck)
    if pending_name is not None:
        documents.delete_pending_file(pending_name)
    return application


def _mail_submission(application: Application, user: User) -> None:
    queue_mail(
        user.email, _l("Your application to %(call)s is received", call=application.call.name),
        "delegations/mail/submitted", user.locale, application=application, call=application.call, person=user,
        application_url=external_url("delegations.application", application_id=application.id),
    )


def applicant_of(application: Application) -> Applicant:
    if application.startup is not None:
        return Applicant(f"startup-{application.startup_id}", application.startup.name, startup=application.startup)
    team = application.team
    return Applicant(f"team-{team.id}", f"{team.name} ({team.club.name})", team=team)


def submit_application(application: Application, user: User) -> None:
    """Submit a saved draft as it is. Commits."""
    call = application.call
    _check_window(call)
    if application.status != ApplicationStatus.DRAFT:
        raise DelegationError(_l("Only a draft can be submitted."))
    if not application.travellers:
        raise DelegationError(_l("Please name at least one member who travels."))
    if not application.pitch_deck:
        raise DelegationError(_l("Please attach the pitch deck (PDF)."))
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = utcnow()
    application.submitted_by_id = user.id
    _mail_submission(application, user)
    db.session.commit()


def withdraw(application: Application, user: User) -> None:
    try:
        decisions.withdraw_application(application, user)
    except decisions.DecisionError as error:
        db.session.rollback()
        raise DelegationError(error.message) from error


def confirm_offer(application: Application, user: User) -> None:
    """A reserve takes the place offered to it, before the offer expires. Commits."""
    try:
        decisions.confirm_offer(application, user)
    except decisions.DecisionError as error:
        db.session.rollback()
        raise DelegationError(error.message) from error


# ---------------------------------------------------------------------------
# Nominations (a unit's representative) and member swaps
# ---------------------------------------------------------------------------


def allocations_represented_by(call: DelegationCall, user) -> list[Allocation]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return [a for a in call.allocations if a.representative_id == user.id]


def nomination_candidates(call: DelegationCall, user) -> list[Application]:
    """Submitted applications of the call that chose one of `user`'s allocations, or none, or the open pool."""
    mine = [a.id for a in allocations_represented_by(call, user)]
    if not mine:
        return []
    pools = [a.id for a in call.allocations if a.is_open_pool]
    statement = (
        select(Application)
        .where(Application.call_id == call.id, Application.status == ApplicationStatus.SUBMITTED)
        .where(Application.allocation_id.in_(mine + pools) | Application.allocation_id.is_(None))
        .options(selectinload(Application.startup), selectinload(Application.team),
                 selectinload(Application.allocation).selectinload(Allocation.unit))
        .order_by(Application.submitted_at, Application.id)
    )
    return list(db.session.scalars(statement))


def nominate(application: Application, allocation: Allocation, user: User) -> None:
    """Put a submitted application into `allocation`; only that allocation's representative may. Commits."""
    if allocation.call_id != application.call_id or not can(user, "allocation.nominate", allocation):
        raise DelegationError(_l("You can nominate only into the allocation you represent."))
    if application.status != ApplicationStatus.SUBMITTED:
        raise DelegationError(_l("Only a submitted application can be nominated."))
    if application not in nomination_candidates(application.call, user) and not user.is_admin:
        raise DelegationError(_l("This application chose another allocation."))
    application.allocation_id = allocation.id
    application.nominated_by_id = user.id
    db.session.commit()


def swap_traveller(application: Application, traveller_id: int, replacement: TravellerData, user: User) -> None:
    """Replace a traveller of an accepted application by another member, until the roster is locked. Commits."""
    if application.status not in (ApplicationStatus.ACCEPTED, ApplicationStatus.OFFERED):
        raise DelegationError(_l("Members can be swapped only after the application is accepted."))
    locked_at = application.call.roster_locked_at
    if locked_at is not None and utcnow() >= locked_at:
        raise DelegationError(_l("The roster is locked since %(when)s.", when=format_when(locked_at)))
    traveller = next((t for t in application.travellers if t.id == traveller_id), None)
    if traveller is None:
        raise DelegationError(_l("Please choose a traveller of this application."), "traveller_id")
    others = [t.user_id for t in application.travellers if t.id != traveller_id]
    if replacement.user_id in others:
        raise DelegationError(_l("This member already travels."), "user_id")
    (checked,) = _checked_travellers(applicant_of(application), [replacement])
    traveller.user_id, traveller.legal_name, traveller.phone = checked.user_id, checked.legal_name, checked.phone
    traveller.role, traveller.dietary_needs = checked.role or None, checked.dietary_needs or None
    db.session.commit()


def window_message(call: DelegationCall) -> str:
    try:
        _check_window(call)
    except DelegationError as error:
        return str(error.message)
    return ""


def swap_open(application: Application) -> bool:
    locked_at = application.call.roster_locked_at
    return application.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.OFFERED) and (
        locked_at is None or utcnow() < locked_at
    )
