"""Events: reading them: search, one event, drafts, one's registrations, registering a group and what
became of it, cancelling one's registration (the rules are in `events.registration`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import can
from ecosystem.clubs.membership import teams_led_by
from ecosystem.core.listing import ListQuery, Page, apply_text_search, ordered, paginate, parse_list_query
from ecosystem.core.text import fold
from ecosystem.events import hooks
from ecosystem.events.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Event,
    EventOrganiser,
    EventStatus,
    Order,
    Registration,
    RegistrationStatus,
)
from ecosystem.events.services import EVENT_FACETS, EVENT_SORTS
from ecosystem.extensions import db
from ecosystem.startups.membership import startups_with_members
from ecosystem.timeutil import utcnow

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
