"""Users, roles, sign-up and login, account settings, per-object permissions (`auth.permissions`)."""

from flask import Flask

from ecosystem.auth import cli, demo, views
from ecosystem.auth.login import configure_login_manager
from ecosystem.demo import add_demo_step
from ecosystem.extensions import login_manager


def init_app(app: Flask) -> None:
    configure_login_manager(login_manager)
    app.register_blueprint(views.bp)
    app.register_blueprint(cli.bp)
    add_demo_step(app, demo.seed)
