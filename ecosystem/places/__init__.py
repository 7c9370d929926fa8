"""Provinces, communes and wards (the localities records keep)."""

from flask import Flask

from ecosystem.demo import add_demo_step
from ecosystem.places import demo, views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    add_demo_step(app, demo.seed)
