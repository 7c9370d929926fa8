"""Club rules: clubs of universities, their members, student teams, and teams that become startups.

Views call one function per use case; these functions check the domain rules,
own the transaction and commit. A refused change raises `ClubError` with a
translated message for the user and leaves nothing half-written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, selectinload

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import policy
from ecosystem.auth.services import grant_role, normalize_email
from ecosystem.clubs.models import MAX_BULK_INVITATIONS, Club, ClubMember, ClubRole, Team, TeamMember
from ecosystem.core.errors import DomainError
from ecosystem.core.guards import deletion_refusal
from ecosystem.core.listing import ListQuery, Page, apply_text_search, folded_text, ordered, paginate
from ecosystem.core.locks import lock
from ecosystem.core.text import fold, make_slug
from ecosystem.core.uploads import LOGO, saving_with_image, store_upload
from ecosystem.core.validation import is_email_address
from ecosystem.directory import services as directory
from ecosystem.extensions import db
from ecosystem.invitations import services as invitations
from ecosystem.invitations.models import Invitation
from ecosystem.places.provinces import HOME_PROVINCE
from ecosystem.places.services import active_localities
from ecosystem.startups import services as startups
from ecosystem.startups.models import MemberRole, Stage, Startup

INVITATION_TARGET = "club"
RESERVED_SLUGS = frozenset({"new"})  # /clubs/new is the creation form
SLUG_ATTEMPTS = 5
MAX_TEAM_MEMBERS = 30
ADDRESS_SEPARATORS = re.compile(r"[,;\s]+")

# What /clubs/ (and an API list) accepts, checked by `core.listing.list_query_or_400`:
# sort keys (with their labels) and facets.
CLUB_SORTS = {
    "relevance": _l("Best match"),  # by search rank with ?q=, alphabetical without
    "name": _l("Name (A to Z)"),
    "newest": _l("Newest first"),
}
DEFAULT_CLUB_SORT = "relevance"
_CLUB_ORDER = {
    "relevance": (Club.search_name, Club.id),  # after the rank when searching
    "name": (Club.search_name, Club.id),
    "newest": (Club.created_at.desc(), Club.id.desc()),
}


def _is_university_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 9 and directory.get_university(int(value)) is not None


CLUB_FACETS = {"university": _is_university_id}


class ClubError(DomainError):
    """A rule of the clubs refused the change."""


@dataclass(frozen=True)
class ClubData:
    name: str
    university_id: int | None
    description: str = ""
    contact_email: str | None = None


@dataclass(frozen=True)
class TeamData:
    name: str
    idea: str = ""
    member_ids: tuple[int, ...] = ()
    lead_id: int | None = None
    mentor_wanted: bool = False


@dataclass(frozen=True)
class ConversionData:
    """What the "convert to startup" form asks; the rest comes from the team."""

    name: str
    sector: str
    stage: str = Stage.IDEA
    locality_id: int | None = None


@dataclass(frozen=True)
class ClubSummary:
    """One row of the club list: the club (university loaded) and its counts."""

    club: Club
    member_count: int
    team_count: int


# --- Permissions --------------------------------------------------------------------------------


def is_leader(user: User, club: Club) -> bool:
    return any(member.user_id == user.id and member.role == ClubRole.LEADER for member in club.members)


@policy("club.edit")
def _can_edit_club(user: User, club: Club) -> bool:
    return user.has_role(Role.COORDINATOR) or is_leader(user, club)


@policy("club.manage_members")
def _can_manage_members(user: User, club: Club) -> bool:
    return user.has_role(Role.COORDINATOR) or is_leader(user, club)


@policy("club.manage_teams")
def _can_manage_teams(user: User, club: Club) -> bool:
    return user.has_role(Role.COORDINATOR) or is_leader(user, club)


@policy("team.convert")
def _can_convert_team(user: User, team: Team) -> bool:
    if user.has_role(Role.COORDINATOR) or is_leader(user, team.club):
        return True
    return any(member.user_id == user.id and member.is_lead for member in team.members)


# --- Reading ------------------------------------------------------------------------------------


def universities():
    """The universities a club may belong to (approved directory components)."""
    return directory.universities()


def club_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Club))


def search_clubs(query: ListQuery) -> Page:
    """One page of clubs: ?q= (accent-insensitive, name matches first), university facet, sort.

    Four queries whatever the number of clubs: the count, the page, its universities
    and one grouped count of members and teams for the clubs of the page.
    """
    statement = select(Club).options(selectinload(Club.university))
    if "university" in query.facets:
        statement = statement.where(Club.university_id == int(query.facets["university"]))
    statement, rank = apply_text_search(statement, query.terms, Club.search_name, Club.search_text)
    page = paginate(db.session, ordered(statement, query, _CLUB_ORDER, rank), query)
    counts = _member_and_team_counts([club.id for club in page.items])
    page.items = [ClubSummary(club, *counts.get(club.id, (0, 0))) for club in page.items]
    return page


def _member_and_team_counts(club_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not club_ids:
        return {}
    members = (
        select(ClubMember.club_id, func.count().label("n"))
        .where(ClubMember.club_id.in_(club_ids))
        .group_by(ClubMember.club_id)
        .subquery()
    )
    teams = (
        select(Team.club_id, func.count().label("n"))
        .where(Team.club_id.in_(club_ids))
        .group_by(Team.club_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Club.id, func.coalesce(members.c.n, 0), func.coalesce(teams.c.n, 0))
        .outerjoin(members, members.c.club_id == Club.id)
        .outerjoin(teams, teams.c.club_id == Club.id)
        .where(Club.id.in_(club_ids))
    )
    return {club_id: (member_count, team_count) for club_id, member_count, team_count in rows}


def public_club(slug: str) -> Club | None:
    """A club with everything its page shows (university, members, teams, their startups)."""
    if len(slug) > 90:
        return None
    statement = (
        select(Club)
        .where(Club.slug == slug)
        .options(
            selectinload(Club.university),
            selectinload(Club.members).selectinload(ClubMember.user),
            selectinload(Club.teams).options(
                selectinload(Team.members).selectinload(TeamMember.user),
                selectinload(Team.startup),
            ),
        )
    )
    return db.session.scalar(statement)


def conversion_localities():
    """The communes and wards a converted team's startup may be in."""
    return active_localities()


def get_team(club: Club, team_slug: str) -> Team | None:
    return next((team for team in club.teams if team.slug == team_slug), None)


def clubs_led_by(user: User) -> list[Club]:
    statement = (
        select(Club)
        .join(ClubMember, ClubMember.club_id == Club.id)
        .where(ClubMember.user_id == user.id, ClubMember.role == ClubRole.LEADER)
        .order_by(Club.search_name)
    )
    return list(db.session.scalars(statement))


@dataclass(frozen=True)
class ClubMembership:
    """A club `user` belongs to, their role in it, and the club's teams they are in."""

    club: Club
    role: str
    teams: list[Team]

    @property
    def is_leader(self) -> bool:
        return self.role == ClubRole.LEADER


def clubs_and_teams_of(user: User) -> list[ClubMembership]:
    """Every club `user` is a member of, with their teams there: two queries whatever the numbers."""
    memberships = list(db.session.scalars(
        select(ClubMember)
        .where(ClubMember.user_id == user.id)
        .join(Club, Club.id == ClubMember.club_id)
        .options(contains_eager(ClubMember.club))
        .order_by(Club.search_name, Club.id)
    ))
    teams: dict[int, list[Team]] = {}
    if memberships:
        for team in db.session.scalars(
            select(Team).join(TeamMember, TeamMember.team_id == Team.id)
            .where(TeamMember.user_id == user.id).order_by(Team.name, Team.id)
        ):
            teams.setdefault(team.club_id, []).append(team)
    return [ClubMembership(member.club, member.role, teams.get(member.club_id, [])) for member in memberships]


def club_invitations(club: Club) -> list[Invitation]:
    return invitations.open_invitations(INVITATION_TARGET, club.id)


# --- Clubs --------------------------------------------------------------------------------------


def _university_or_error(university_id: int | None):
    university = directory.get_university(university_id) if university_id else None
    if university is None:
        raise ClubError(_l("Choose a university from the list."), field="university")
    return university


def _search_columns(club: Club, university_name: str) -> None:
    club.search_name = fold(club.name)[:160]
    club.search_text = folded_text(club.name, university_name, club.description)


def _store_logo(logo_stream) -> str | None:
    return store_upload(logo_stream, LOGO, lambda message: ClubError(message, field="logo"))


def _taken_slugs(column, base: str, *scope) -> set[str]:
    statement = select(column).where(or_(column == base, column.like(f"{base}-%")), *scope)
    return set(db.session.scalars(statement))


def _free_slug(base: str, taken: Iterable[str]) -> str:
    taken = set(taken) | RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _insert_with_free_slug(obj, column, name: str, *scope) -> None:
    """Add `obj` with a slug made from `name`, free even when two requests race for it.

    Each attempt runs in a savepoint: a unique-constraint violation from a concurrent
    insert rolls back only the attempt, and the next one picks another number.
    """
    base = make_slug(name)
    for _attempt in range(SLUG_ATTEMPTS):
        obj.slug = _free_slug(base, _taken_slugs(column, base, *scope))
        try:
            with db.session.begin_nested():
                db.session.add(obj)
                db.session.flush()
            return
        except IntegrityError:
            continue
    raise ClubError(_l("Please try again: another club was saved with the same name at the same moment."))


def create_club(leader: User, data: ClubData, logo_stream=None) -> Club:
    """Create a club of a university; its creator becomes its leader."""
    university = _university_or_error(data.university_id)
    club = Club(
        name=data.name.strip(),
        university_id=university.id,
        description=data.description or "",
        contact_email=data.contact_email or None,
        created_by_id=leader.id,
    )
    _search_columns(club, university.name)
    club.members.append(ClubMember(user_id=leader.id, role=ClubRole.LEADER))
    with saving_with_image(None, _store_logo(logo_stream)) as logo:
        club.logo = logo
        _insert_with_free_slug(club, Club.slug, club.name)
    return club


def update_club(club: Club, data: ClubData, logo_stream=None, remove_logo: bool = False) -> None:
    """Save the club's profile. The slug (its address) stays the same."""
    university = _university_or_error(data.university_id)
    with saving_with_image(club.logo, _store_logo(logo_stream), remove_logo) as logo:
        club.name = data.name.strip()
        club.university_id = university.id
        club.description = data.description or ""
        club.contact_email = data.contact_email or None
        club.logo = logo
        _search_columns(club, university.name)


# --- Members ------------------------------------------------------------------------------------


@dataclass
class BulkInvitation:
    """What became of each address pasted into the invitation form."""

    invited: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    not_valid: list[str] = field(default_factory=list)


def split_addresses(text: str) -> list[str]:
    """The addresses of a pasted list (commas, semicolons, spaces or new lines between them), each once."""
    seen: dict[str, None] = {}
    for part in ADDRESS_SEPARATORS.split(text or ""):
        part = part.strip().strip("<>")
        if part:
            seen.setdefault(part, None)
    return list(seen)


def _valid_address(address: str) -> str | None:
    """The normalised address, or None when it is not an e-mail address."""
    return normalize_email(address) if is_email_address(address) else None


def invite_members(club: Club, text: str, invited_by: User) -> BulkInvitation:
    """Invite every valid address of `text` that is neither a member nor already invited. One transaction.

    Each address is checked; the result says who was invited, who already is a member or has an open
    invitation, and what is not an e-mail address. Commits only when someone is invited; raises ClubError
    (field "email") when the list is empty or longer than MAX_BULK_INVITATIONS.
    """
    addresses = split_addresses(text)
    if not addresses:
        raise ClubError(_l("Please enter an e-mail address."), field="email")
    if len(addresses) > MAX_BULK_INVITATIONS:
        raise ClubError(_l("At most %(max)d addresses at a time.", max=MAX_BULK_INVITATIONS), field="email")
    result = BulkInvitation()
    wanted: dict[str, None] = {}
    for address in addresses:
        normalised = _valid_address(address)
        if normalised is None:
            result.not_valid.append(address)
        else:
            wanted.setdefault(normalised, None)
    members = set(db.session.scalars(
        select(User.email).join(ClubMember, ClubMember.user_id == User.id)
        .where(ClubMember.club_id == club.id, User.email.in_(list(wanted)))
    )) if wanted else set()
    invited_already = {invitation.email for invitation in invitations.open_invitations(INVITATION_TARGET, club.id)}
    try:
        for address in wanted:
            if address in members:
                result.already_members.append(address)
            elif address in invited_already:
                result.already_invited.append(address)
            else:
                invitations.invite(INVITATION_TARGET, club.id, address, ClubRole.MEMBER, invited_by)
                result.invited.append(address)
        if result.invited:
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def withdraw_invitation(club: Club, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.target_type != INVITATION_TARGET or invitation.target_id != club.id:
        raise ClubError(_l("This invitation does not exist."))
    if not invitation.is_open:
        raise ClubError(_l("This invitation is no longer open."))
    invitations.revoke(invitation)
    db.session.commit()
    return invitation


def remove_member(club: Club, member_id: int) -> ClubMember:
    """Remove a member from the club and from its teams. Leaders are not removed this way."""
    member = next((member for member in club.members if member.id == member_id), None)
    if member is None:
        raise ClubError(_l("This person is not a member of the club."))
    if member.role == ClubRole.LEADER:
        raise ClubError(_l("A leader of the club cannot be removed."))
    for team in club.teams:
        place = next((team_member for team_member in team.members if team_member.user_id == member.user_id), None)
        if place is None:
            continue
        team.members.remove(place)
        if place.is_lead and team.members:
            team.members[0].is_lead = True
    club.members.remove(member)
    db.session.commit()
    return member


def join_club(club: Club, user: User) -> ClubMember:
    """Make `user` a member of the club (idempotent). Does not commit: the caller's transaction does."""
    member = next((member for member in club.members if member.user_id == user.id), None)
    if member is None:
        member = ClubMember(user_id=user.id, role=ClubRole.MEMBER)
        club.members.append(member)
    return member


def _describe_club(club_id: int) -> str | None:
    club = db.session.get(Club, club_id)
    return club.name if club else None


def _accept_invitation(club_id: int, user: User, role: str) -> str:
    """Called by the invitation link, inside its transaction: the invited person joins."""
    club = db.session.get(Club, club_id)
    if club is None:
        raise invitations.InvitationError(_l("What you were invited to no longer exists."))
    join_club(club, user)
    return url_for("clubs.detail", slug=club.slug)


invitations.register_target(INVITATION_TARGET, describe=_describe_club, accept=_accept_invitation)


# --- Teams --------------------------------------------------------------------------------------


def _team_members(club: Club, data: TeamData) -> list[TeamMember]:
    chosen = list(dict.fromkeys(data.member_ids))
    if not chosen:
        raise ClubError(_l("Choose at least one member."), field="members")
    if len(chosen) > MAX_TEAM_MEMBERS:
        raise ClubError(_l("A team has at most %(max)d members.", max=MAX_TEAM_MEMBERS), field="members")
    club_user_ids = {member.user_id for member in club.members}
    if any(user_id not in club_user_ids for user_id in chosen):
        raise ClubError(_l("Only members of the club can join its teams."), field="members")
    if data.lead_id not in chosen:
        raise ClubError(_l("The team lead must be one of the members of the team."), field="lead")
    return [TeamMember(user_id=user_id, is_lead=user_id == data.lead_id) for user_id in chosen]


def _check_team_name(data: TeamData) -> str:
    name = data.name.strip()
    if not name:
        raise ClubError(_l("Please enter the name of the team."), field="name")
    return name


def create_team(club: Club, data: TeamData) -> Team:
    name = _check_team_name(data)
    members = _team_members(club, data)
    team = Team(club_id=club.id, name=name, idea=data.idea or "", mentor_wanted=data.mentor_wanted, members=members)
    try:
        _insert_with_free_slug(team, Team.slug, name, Team.club_id == club.id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return team


def update_team(team: Team, data: TeamData) -> None:
    """Save the team; its address stays the same. Members are replaced by the chosen ones."""
    name = _check_team_name(data)
    members = _team_members(team.club, data)
    team.name = name
    team.idea = data.idea or ""
    team.mentor_wanted = data.mentor_wanted
    current = {member.user_id: member for member in team.members}
    chosen = {member.user_id: member for member in members}
    for user_id, member in current.items():
        if user_id not in chosen:
            team.members.remove(member)
    for user_id, member in chosen.items():
        if user_id in current:
            current[user_id].is_lead = member.is_lead
        else:
            team.members.append(member)
    db.session.commit()


def delete_team(team: Team) -> None:
    """Delete a team; a startup it became stays. A team that applied to a Techfest delegation is kept:
    its application belongs to the delegation's record."""
    try:
        # The row stays locked from the check to the delete (an application being written meanwhile waits).
        team = _lock_team(team)
        if team is None:
            raise ClubError(_l("This team no longer exists."))
        refusal = deletion_refusal("team", team)  # delegations: it applied to a Techfest call
        if refusal is not None:
            raise ClubError(refusal)
        db.session.delete(team)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def _lock_team(team: Team) -> Team:
    """The team's row, locked until the end of the transaction (PostgreSQL)."""
    return lock(team, "clubs.teams")


def _lock_unconverted(team: Team) -> Team:
    """The team's row, locked until the end of the transaction (PostgreSQL), if not converted yet."""
    locked = lock(team, "clubs.teams")
    if locked is None:
        raise ClubError(_l("This team no longer exists."))
    if locked.startup_id is not None:
        existing = db.session.get(Startup, locked.startup_id)
        raise ClubError(
            _l("This team already became the startup %(name)s.", name=existing.name if existing else "?")
        )
    return locked


def convert_team_to_startup(team: Team, converting_user: User, data: ConversionData) -> Startup:
    """Turn a team into a startup of Thái Nguyên, in one transaction.

    The name and idea become the startup's name and description; the converting user
    becomes its owner and the team's other members its members (founders); the team
    keeps a link to the startup. The team's row stays locked (PostgreSQL) until the
    commit, so a team converts once even when two leaders click at the same moment.
    """
    locked = _lock_unconverted(team)
    startup_data = startups.StartupData(
        name=data.name, description=locked.idea, sector=data.sector, stage=data.stage,
        province=HOME_PROVINCE, locality_id=data.locality_id,
    )
    try:
        startup = startups.create_startup(converting_user, startup_data, commit=False)
        for member in locked.members:
            if member.user_id != converting_user.id:
                startups.add_member(startup, member.user, role=MemberRole.MEMBER)
                grant_role(member.user, Role.FOUNDER)
        locked.startup_id = startup.id
        db.session.commit()
    except startups.StartupError as error:
        db.session.rollback()
        raise ClubError(error.message, field=_CONVERSION_FIELDS.get(error.field)) from error
    except BaseException:
        db.session.rollback()
        raise
    return startup


_CONVERSION_FIELDS = {"name": "name", "sector": "sector", "stage": "stage", "locality_id": "locality"}
