"""Who belongs to which startup, asked of the startups domain.

Other domains (events, delegations, ...) call these functions and selectables instead of querying
`StartupMember` themselves, so the rule "who owns a startup" is written once.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import User
from ecosystem.extensions import db
from ecosystem.startups.models import MemberRole, Startup, StartupMember


def owners_of(startup: Startup) -> list[User]:
    """The owners of `startup`, read from its loaded members."""
    return [member.user for member in startup.members if member.role == MemberRole.OWNER]


def owned_startup_ids(user_id: int) -> Select:
    """A selectable of the ids of the startups `user_id` owns (for `... .in_(owned_startup_ids(id))`)."""
    return select(StartupMember.startup_id).where(
        StartupMember.user_id == user_id, StartupMember.role == MemberRole.OWNER
    )


def startup_people() -> Select:
    """A selectable of (startup id, user id) for every member of every startup, owners included."""
    return select(StartupMember.startup_id, StartupMember.user_id)


def startups_with_members(user_id: int, *, owned_only: bool = False) -> list[Startup]:
    """The startups `user_id` belongs to (or owns), by name, with their members and those members' users
    loaded: three queries whatever the numbers."""
    statement = select(Startup).join(StartupMember).where(StartupMember.user_id == user_id)
    if owned_only:
        statement = statement.where(StartupMember.role == MemberRole.OWNER)
    return list(db.session.scalars(
        statement.options(selectinload(Startup.members).selectinload(StartupMember.user))
        .order_by(Startup.search_name)
    ))


def startup_names_of(user_ids: Iterable[int]):
    """(user id, startup name) rows of the startups the given people belong to, by startup name: one query."""
    return db.session.execute(
        select(StartupMember.user_id, Startup.name).join(Startup)
        .where(StartupMember.user_id.in_(list(user_ids))).order_by(Startup.name)
    )
