"""Student teams of a club: creation, editing, deletion."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ecosystem.clubs.models import Club, Team, TeamMember
from ecosystem.clubs.profiles import _insert_with_free_slug
from ecosystem.clubs.services import MAX_TEAM_MEMBERS, ClubError, TeamData
from ecosystem.core.guards import deletion_refusal
from ecosystem.core.locks import lock
from ecosystem.extensions import db
from ecosystem.startups.models import Startup

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
