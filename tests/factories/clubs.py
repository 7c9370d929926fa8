"""Factories for the clubs domain: clubs, their members and student teams, built through the services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ecosystem.auth.models import Role, User
from ecosystem.clubs import members as club_members
from ecosystem.clubs import profiles as club_profiles
from ecosystem.clubs import services
from ecosystem.clubs import teams as club_teams
from ecosystem.clubs.models import Club, ClubRole
from ecosystem.directory.models import ComponentKind
from ecosystem.extensions import db
from tests.factories.directory import make_component
from tests.factories.users import UserRef, make_user

__all__ = ["ClubRef", "TeamRef", "add_club_member", "make_club", "make_team"]

_sequence = itertools.count(1)


@dataclass(frozen=True)
class ClubRef:
    id: int
    slug: str
    name: str
    leader: UserRef
    university_id: int


@dataclass(frozen=True)
class TeamRef:
    id: int
    slug: str
    name: str
    club_id: int


def make_club(app, leader: UserRef | None = None, university=None, **fields) -> ClubRef:
    """A club created by `leader` (a new club leader by default) for `university`.

    `university`: a ComponentRef or a component id; a new university by default.
    `fields`: those of `ClubData` (`name`, `description`, `contact_email`) plus `logo` (a stream).
    """
    leader = leader or make_user(app, roles=(Role.CLUB_LEADER,))
    if university is None:
        name = f"Trường Đại học Thử nghiệm {next(_sequence)}"
        university = make_component(app, kind=ComponentKind.UNIVERSITY, name=name)
    university_id = university if isinstance(university, int) else university.id
    logo = fields.pop("logo", None)
    fields.setdefault("name", f"Câu lạc bộ Thử nghiệm {next(_sequence)}")
    with app.app_context():
        club = club_profiles.create_club(
            db.session.get(User, leader.id), services.ClubData(university_id=university_id, **fields), logo
        )
        return ClubRef(club.id, club.slug, club.name, leader, university_id)


def add_club_member(app, club: ClubRef, user: UserRef | None = None, role: ClubRole = ClubRole.MEMBER) -> UserRef:
    """Make `user` (a new member by default) a member of the club, as an accepted invitation does."""
    user = user or make_user(app)
    with app.app_context():
        member = club_members.join_club(db.session.get(Club, club.id), db.session.get(User, user.id))
        member.role = role
        db.session.commit()
    return user


def make_team(app, club: ClubRef, members: list[UserRef] | None = None, lead: UserRef | None = None,
              **fields) -> TeamRef:
    """A team of `club`. `members` must be club members (one new member by default); `lead` the first."""
    members = members if members is not None else [add_club_member(app, club)]
    lead = lead or members[0]
    fields.setdefault("name", f"Nhóm Thử nghiệm {next(_sequence)}")
    with app.app_context():
        team = club_teams.create_team(
            db.session.get(Club, club.id),
            services.TeamData(member_ids=tuple(member.id for member in members), lead_id=lead.id, **fields),
        )
        return TeamRef(team.id, team.slug, team.name, club.id)
