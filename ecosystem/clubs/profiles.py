"""Clubs of universities: reading and search, creation and editing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, selectinload

from ecosystem.auth.models import User
from ecosystem.clubs.models import Club, ClubMember, ClubRole, Team, TeamMember
from ecosystem.clubs.services import (
    _CLUB_ORDER,
    INVITATION_TARGET,
    RESERVED_SLUGS,
    SLUG_ATTEMPTS,
    ClubData,
    ClubError,
    ClubSummary,
)
from ecosystem.core.listing import ListQuery, Page, apply_text_search, folded_text, ordered, paginate
from ecosystem.core.text import fold, make_slug
from ecosystem.core.uploads import LOGO, saving_with_image, store_upload
from ecosystem.directory import queries as directory_queries
from ecosystem.extensions import db
from ecosystem.invitations import services as invitations
from ecosystem.invitations.models import Invitation
from ecosystem.places.services import active_localities

# --- Reading ------------------------------------------------------------------------------------


def universities():
    """The universities a club may belong to (approved directory components)."""
    return directory_queries.universities()


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
    university = directory_queries.get_university(university_id) if university_id else None
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
