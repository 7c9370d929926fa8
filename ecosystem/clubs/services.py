"""Club rules: clubs of universities, their members, student teams, and teams that become startups.

Views call one function per use case; these functions check the domain rules,
own the transaction and commit. A refused change raises `ClubError` with a
translated message for the user and leaves nothing half-written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import policy
from ecosystem.clubs.models import Club, ClubRole, Team
from ecosystem.core.errors import DomainError
from ecosystem.directory import queries as directory_queries
from ecosystem.startups.models import Stage

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
    return (value.isascii() and value.isdigit() and len(value) <= 9
            and directory_queries.get_university(int(value)) is not None)


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
