"""Who may do what in the delegations: the per-object policies (admins pass every check), the domain's error
and the text check shared by its forms.
"""

from __future__ import annotations

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import policy
from ecosystem.clubs.services import is_leader
from ecosystem.core.errors import DomainError
from ecosystem.delegations.models import (
    Allocation,
    Application,
    DelegationCall,
)
from ecosystem.delegations.review import REVIEW_STATUSES
from ecosystem.startups.services import is_owner


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


def checked_text(value: str | None, limit: int, message, field_name: str, required: bool = False) -> str:
    value = (value or "").strip().replace("\r\n", "\n")
    if required and not value:
        raise DelegationError(message, field_name)
    if len(value) > limit or any(ord(char) < 32 and char not in "\n\t" for char in value):
        raise DelegationError(message, field_name)
    return value


@policy("application.deck")
def _may_download_deck(user: User, application: Application) -> bool:
    if _is_coordinator(user) or is_applicant(user, application):
        return True
    # Reviewers read the decks of what they review: not drafts, not withdrawn applications.
    return application.status in REVIEW_STATUSES and any(
        reviewer.user_id == user.id for reviewer in application.call.reviewers)
