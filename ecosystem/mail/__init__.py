"""The e-mail outbox and its worker loop (which also runs the scheduled jobs of `ecosystem.core.jobs`)."""

from flask import Flask

from ecosystem.core.templating import expose_enums
from ecosystem.mail import cli, views
from ecosystem.mail.models import OutboxStatus
from ecosystem.mail.worker import start_inprocess_worker


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(cli.bp)
    expose_enums(app, OutboxStatus)
    if app.config["OUTBOX_MODE"] == "inprocess":
        app.before_request(lambda: start_inprocess_worker(app))
