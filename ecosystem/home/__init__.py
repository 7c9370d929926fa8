"""The site's home page and language switch (top layer: reads the domains' services)."""

from flask import Flask

from ecosystem.home import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
