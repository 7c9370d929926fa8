"""A club team becomes a startup."""

from __future__ import annotations

from ecosystem.auth.models import Role, User
from ecosystem.auth.services import grant_role
from ecosystem.clubs.models import Team
from ecosystem.clubs.services import ClubError, ConversionData
from ecosystem.clubs.teams import _lock_unconverted
from ecosystem.extensions import db
from ecosystem.places.provinces import HOME_PROVINCE
from ecosystem.startups import members as startup_members
from ecosystem.startups import profiles as startup_profiles
from ecosystem.startups import services as startups
from ecosystem.startups.models import MemberRole, Startup


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
        startup = startup_profiles.create_startup(converting_user, startup_data, commit=False)
        for member in locked.members:
            if member.user_id != converting_user.id:
                startup_members.add_member(startup, member.user, role=MemberRole.MEMBER)
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
