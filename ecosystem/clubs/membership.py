"""Who belongs to which club and team, and who leads them, asked of the clubs domain.

Other domains (events, delegations, ...) call these functions and selectables instead of querying
`ClubMember` and `TeamMember` themselves, so the rule "who leads a team" is written once: the leaders of
the team's club.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import User
from ecosystem.clubs.models import Club, ClubMember, ClubRole, Team, TeamMember
from ecosystem.extensions import db


def leaders_of(club: Club) -> list[User]:
    """The leaders of `club`, read from its loaded members."""
    return [member.user for member in club.members if member.role == ClubRole.LEADER]


def led_team_ids(user_id: int) -> Select:
    """A selectable of the ids of the teams whose club `user_id` leads (for `... .in_(led_team_ids(id))`)."""
    return (
        select(Team.id)
        .join(ClubMember, ClubMember.club_id == Team.club_id)
        .where(ClubMember.user_id == user_id, ClubMember.role == ClubRole.LEADER)
    )


def teams_led_by(user_id: int, *, member_users: bool = False) -> list[Team]:
    """The teams of the clubs `user_id` leads, by name, with their club and members loaded (and the members'
    users when `member_users`)."""
    members = selectinload(Team.members)
    if member_users:
        members = members.selectinload(TeamMember.user)
    return list(db.session.scalars(
        select(Team).join(Club, Team.club_id == Club.id).join(ClubMember, ClubMember.club_id == Club.id)
        .where(ClubMember.user_id == user_id, ClubMember.role == ClubRole.LEADER)
        .options(members, selectinload(Team.club))
        .order_by(Team.name)
    ))


def team_members() -> Select:
    """A selectable of (team id, user id) for every member of every team."""
    return select(TeamMember.team_id, TeamMember.user_id)


def team_leaders() -> Select:
    """A selectable of (team id, user id) for every leader of every team's club."""
    return (
        select(Team.id.label("team_id"), ClubMember.user_id)
        .join(ClubMember, ClubMember.club_id == Team.club_id)
        .where(ClubMember.role == ClubRole.LEADER)
    )


def is_club_member(user_id: int) -> bool:
    """Whether `user_id` is a member (or leader) of any club."""
    return db.session.scalar(select(func.count()).select_from(ClubMember).where(ClubMember.user_id == user_id)) > 0


def team_names_of(user_ids: Iterable[int]):
    """(user id, "team · club") rows of the teams the given people are in, by team name: one query."""
    return db.session.execute(
        select(TeamMember.user_id, Team.name + " · " + Club.name)
        .join(Team, TeamMember.team_id == Team.id).join(Club, Team.club_id == Club.id)
        .where(TeamMember.user_id.in_(list(user_ids))).order_by(Team.name)
    )


def club_names_of(user_ids: Iterable[int]):
    """(user id, club name) rows of the clubs the given people are members of, by club name: one query."""
    return db.session.execute(
        select(ClubMember.user_id, Club.name).join(Club)
        .where(ClubMember.user_id.in_(list(user_ids))).order_by(Club.name)
    )
