"""Ecosystem: the platform of a provincial startup ecosystem."""

from __future__ import annotations

import importlib
import importlib.util
import logging

from flask import Flask

from config import BASE_DIR, CONFIGS, INSTANCE_DIR, Config


def create_app(config: str | type[Config] = "development", overrides: dict | None = None) -> Flask:
    config_class = CONFIGS[config] if isinstance(config, str) else config
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.config.from_object(config_class)
    app.config.update(overrides or {})
    config_class.prepare(app.config)
    # Flask-Mail suppresses sending when TESTING; tests deliver to a real SMTP server.
    app.config.setdefault("MAIL_SUPPRESS_SEND", False)
    # JSON (the API, error bodies) keeps Vietnamese letters readable instead of \u escapes.
    app.json.ensure_ascii = False

    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_commands(app)
    return app


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    from ecosystem.core.templating import register_template_helpers
    from ecosystem.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from ecosystem.i18n import register_template_filters, select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    register_template_filters(app)
    register_template_helpers(app)

    from ecosystem.auth.login import configure_login_manager
    from ecosystem.dbsetup import configure_engines

    configure_login_manager(login_manager)
    with app.app_context():
        configure_engines(db)


DOMAINS = (
    "core", "auth", "mail", "places", "invitations", "startups", "directory", "clubs", "events", "payments",
    "delegations", "api", "account",
)


def register_blueprints(app: Flask) -> None:
    for domain in DOMAINS:
        views = importlib.import_module(f"ecosystem.{domain}.views")
        for blueprint in getattr(views, "blueprints", [views.bp]):
            app.register_blueprint(blueprint)
    # Every model module, so the metadata (and Alembic) sees the whole schema.
    for domain in DOMAINS:
        if importlib.util.find_spec(f"ecosystem.{domain}.models"):
            importlib.import_module(f"ecosystem.{domain}.models")


def register_request_hooks(app: Flask) -> None:
    from ecosystem.core.input import register_input_cleaning
    from ecosystem.errors import register_error_handlers
    from ecosystem.security import register_security_headers

    register_input_cleaning(app)
    register_error_handlers(app)
    register_security_headers(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if app.config["OUTBOX_MODE"] == "inprocess":
        from ecosystem.mail.worker import start_inprocess_worker

        app.before_request(lambda: start_inprocess_worker(app))


def register_commands(app: Flask) -> None:
    from ecosystem.auth.cli import bp as users_cli
    from ecosystem.delegations.cli import bp as delegations_cli
    from ecosystem.demo import seed_demo_command
    from ecosystem.events.cli import bp as events_cli
    from ecosystem.mail.cli import bp as outbox_cli
    from ecosystem.payments.cli import bp as payments_cli

    app.register_blueprint(users_cli)
    app.register_blueprint(outbox_cli)
    app.register_blueprint(events_cli)
    app.register_blueprint(delegations_cli)
    app.register_blueprint(payments_cli)
    app.cli.add_command(seed_demo_command)
