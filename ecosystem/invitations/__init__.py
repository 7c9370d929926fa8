"""Invitations by e-mail to join a startup, a club or an event's organisers."""

from flask import Flask

from ecosystem.invitations import models, views  # noqa: F401 - models: the schema sees the table


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
