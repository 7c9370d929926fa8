"""The personal page: what a signed-in person has across the domains."""

from flask import Flask

from ecosystem.account import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
