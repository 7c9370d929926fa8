"""The public read-only JSON API and its OpenAPI document."""

from flask import Flask

from ecosystem.api import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
