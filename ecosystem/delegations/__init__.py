"""Techfest delegation calls, applications, review, quotas, rosters and follow-up."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ecosystem.core.guards import add_deletion_guard
from ecosystem.core.jobs import schedule
from ecosystem.core.navigation import add_menu_item
from ecosystem.core.templating import expose_enums
from ecosystem.delegations import cli, demo, guards, views
from ecosystem.delegations.models import ApplicationStatus, CallStatus
from ecosystem.demo import add_demo_step


def init_app(app: Flask) -> None:
    for blueprint in views.blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(cli.bp)
    schedule(app, cli.run_periodic_tasks, cli.PERIOD_SECONDS)
    schedule(app, cli.purge_pending_uploads, cli.PERIOD_SECONDS)
    add_menu_item(app, "delegations.index", _l("Techfest"), position=40)
    add_demo_step(app, demo.seed)
    add_deletion_guard(app, "startup", guards.keep_startup_that_applied)
    add_deletion_guard(app, "team", guards.keep_team_that_applied)
    expose_enums(app, CallStatus, ApplicationStatus)
