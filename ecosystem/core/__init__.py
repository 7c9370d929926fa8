"""What every domain shares (the lowest layer): listing, text, slugs, uploads, exports, URLs, scheduled
jobs, the menu, deletion guards; and the health check and media routes. Imports no domain."""

from flask import Flask

from ecosystem.core import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
