"""Events, ticket types, registrations, waitlist, tickets, check-in, reminders."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ecosystem.core.jobs import schedule
from ecosystem.core.navigation import add_menu_item
from ecosystem.core.templating import expose_enums
from ecosystem.demo import add_demo_step
from ecosystem.events import cli, demo, views
from ecosystem.events.models import EventStatus, RegistrationStatus


def init_app(app: Flask) -> None:
    for blueprint in views.blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(cli.bp)
    schedule(app, cli.run_periodic_tasks, cli.PERIOD_SECONDS)
    add_menu_item(app, "events.index", _l("Events"), position=30)
    add_demo_step(app, demo.seed)
    expose_enums(app, EventStatus, RegistrationStatus)
