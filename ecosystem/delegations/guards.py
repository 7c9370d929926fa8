"""Records of lower domains that the delegations keep: a startup or a student team that applied to a
Techfest call (drafts included) is not deleted, its application belongs to the delegation's record.

Added as deletion guards (`ecosystem.core.guards`) by `ecosystem.delegations.init_app`; the foreign keys of
the applications are RESTRICT as the backstop.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ecosystem.clubs.models import Team
from ecosystem.delegations import applications  # read at call time: the delete-race tests pause has_applied
from ecosystem.startups.models import Startup


def keep_startup_that_applied(startup: Startup):
    if applications.has_applied(startup_id=startup.id):
        return _l("%(name)s applied to a Techfest delegation: the profile is kept for the record. "
                  "You can hide it instead.", name=startup.name)
    return None


def keep_team_that_applied(team: Team):
    if applications.has_applied(team_id=team.id):
        return _l("The team %(name)s applied to a Techfest delegation: it is kept for the record.", name=team.name)
    return None
