"""Startup profiles, their members, verification by the department."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ecosystem.core.navigation import add_menu_item
from ecosystem.demo import add_demo_step
from ecosystem.startups import demo, views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    add_menu_item(app, "startups.index", _l("Startups"), position=10)
    add_demo_step(app, demo.seed)
