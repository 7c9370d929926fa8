"""The ecosystem directory: incubators, funds, universities and the other components."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ecosystem.core.navigation import add_menu_item
from ecosystem.core.templating import expose_enums
from ecosystem.demo import add_demo_step
from ecosystem.directory import demo, views
from ecosystem.directory.models import ComponentStatus


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    add_menu_item(app, "directory.index", _l("Ecosystem"), position=60)
    add_demo_step(app, demo.seed)
    expose_enums(app, ComponentStatus)
