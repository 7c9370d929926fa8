"""Universities' clubs, student teams and their members."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ecosystem.clubs import demo, views
from ecosystem.core.navigation import add_menu_item
from ecosystem.demo import add_demo_step


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    add_menu_item(app, "clubs.index", _l("Clubs"), position=20)
    add_demo_step(app, demo.seed)
