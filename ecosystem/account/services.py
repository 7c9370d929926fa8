"""What the platform holds for one person, read across the domains for their personal page.

This package is a top layer (with `api` and the home page): it reads the services of
`startups`, `clubs`, `events` and `delegations` and nothing reads it. Every list costs a
fixed number of queries, whatever the person's number of startups, clubs, teams,
registrations and applications.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecosystem.auth.models import User
from ecosystem.clubs import profiles as club_profiles
from ecosystem.delegations import applications as delegation_applications
from ecosystem.delegations.models import Application
from ecosystem.events import queries as event_queries
from ecosystem.events.models import Registration
from ecosystem.startups import profiles as startup_profiles
from ecosystem.startups.models import Startup


@dataclass(frozen=True)
class PersonalOverview:
    startups: list[Startup]
    clubs: list[club_profiles.ClubMembership]
    registrations: list[Registration]
    applications: list[Application]

    @property
    def is_empty(self) -> bool:
        return not (self.startups or self.clubs or self.registrations or self.applications)


def personal_overview(user: User) -> PersonalOverview:
    """My startups, my clubs and teams, my event registrations and my Techfest applications."""
    return PersonalOverview(
        startups=startup_profiles.startups_of(user),
        clubs=club_profiles.clubs_and_teams_of(user),
        registrations=event_queries.my_registrations(user),
        applications=delegation_applications.applications_of(user),
    )
