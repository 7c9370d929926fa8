"""Ecosystem: the platform of a provincial startup ecosystem."""

from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, CONFIGS, INSTANCE_DIR, Config
from ecosystem import (
    account,
    api,
    auth,
    clubs,
    core,
    delegations,
    demo,
    directory,
    events,
    home,
    invitations,
    mail,
    payments,
    places,
    startups,
)
from ecosystem.core.input import register_input_cleaning
from ecosystem.core.templating import register_template_helpers
from ecosystem.dbsetup import configure_engines
from ecosystem.errors import register_error_handlers
from ecosystem.extensions import babel, csrf, db, limiter, login_manager, migrate
from ecosystem.extensions import mail as flask_mail
from ecosystem.i18n import register_template_filters, select_locale
from ecosystem.security import register_security_headers

# The domains, lowest layer first (docs/architecture.md). Each one's `init_app` registers its blueprints,
# commands, scheduled jobs, menu entries, demo-data step and the answers it gives lower domains; demo data
# is loaded in this order. A new domain is one more entry here.
DOMAINS = (
    core, demo,
    auth, mail, places, invitations,
    startups, directory, clubs,
    events, delegations,
    payments,
    api, account, home,
)


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
    for domain in DOMAINS:
        domain.init_app(app)
    register_request_hooks(app)
    return app


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    flask_mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    register_template_filters(app)
    register_template_helpers(app)
    with app.app_context():
        configure_engines(db)


def register_request_hooks(app: Flask) -> None:
    register_input_cleaning(app)
    register_error_handlers(app)
    register_security_headers(app)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
