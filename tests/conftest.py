"""Test harness: one schema per test session, a rolled-back transaction per test.

Run on SQLite (default) or PostgreSQL (`--db postgresql`; URL from
TEST_DATABASE_URL, default the local `test` database). Tests marked
`committing` (browser tests, concurrency tests) commit for real; the tables
are emptied after each of them. Tests marked `postgresql` need row locks and
are skipped, with that reason, on SQLite.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession

from ecosystem import create_app
from ecosystem.extensions import db, limiter
from tests.smtp_server import SMTPServer

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pytest_addoption(parser):
    parser.addoption("--db", choices=["sqlite", "postgresql"], default="sqlite", help="database to test against")


def pytest_configure(config):
    config.addinivalue_line("markers", "committing: the test commits for real (tables emptied afterwards)")
    config.addinivalue_line("markers", "postgresql: needs PostgreSQL (row locks, SKIP LOCKED, real concurrency)")
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")


def postgres_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("REQUIRE_POSTGRES"))


def _postgres_url(worker: str) -> str:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)
    url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)
    return url


def _schema_name(worker: str) -> str:
    # The process id keeps two test runs on one machine (a developer's and CI's) apart.
    return f"ecosystem_test_{worker}_{os.getpid()}"


@pytest.fixture(scope="session")
def database_kind(request) -> str:
    return request.config.getoption("--db")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--db") != "sqlite":
        return
    skip_pg = pytest.mark.skip(
        reason="needs PostgreSQL (row locks / SKIP LOCKED); runs in the PostgreSQL pass (--db postgresql)"
    )
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip_pg)


@pytest.fixture(scope="session")
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def app(request, tmp_path_factory, smtp_server, database_kind):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    overrides = {
        "MAIL_SERVER": smtp_server.host,
        "MAIL_PORT": smtp_server.port,
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
    }
    if database_kind == "postgresql":
        url = _postgres_url(worker)
        schema = _schema_name(worker)
        try:
            engine = sa.create_engine(url)
            with engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
                connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            engine.dispose()
        except sa.exc.OperationalError as error:
            message = f"PostgreSQL does not answer at {url}: {error}"
            if postgres_required():
                pytest.exit(f"PostgreSQL was expected (CI) but {message}", returncode=1)
            pytest.skip(message)
        overrides["SQLALCHEMY_DATABASE_URI"] = url
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {
            # public holds the pg_trgm extension
            "connect_args": {"options": f"-csearch_path={schema},public"},
            "pool_size": 60,
            "max_overflow": 10,
        }
    else:
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    application = create_app("testing", overrides)
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        if database_kind == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{_schema_name(worker)}" CASCADE'))
        db.engine.dispose()


class BoundSession(FlaskSession):
    """A Flask-SQLAlchemy session that uses the test's connection, not the engine."""

    def get_bind(self, *args, **kwargs):
        return self.bind


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _database_isolation(request, app, smtp_server):
    smtp_server.mailbox.clear()
    if not smtp_server.running:
        smtp_server.start()
    with app.app_context():
        limiter.reset()
    if "committing" in request.keywords:
        yield
        with app.app_context():
            db.session.remove()
            _empty_all_tables()
        return
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    original_session = db.session
    db.session = db._make_scoped_session(
        {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": BoundSession}
    )
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
        db.session = original_session
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def mailbox(smtp_server):
    return smtp_server.mailbox


@pytest.fixture
def deliver_mail(app):
    """Run the outbox worker once, as `flask outbox run --once` does."""
    from ecosystem.mail.services import deliver_due

    def deliver(**kwargs):
        with app.app_context():
            return deliver_due(**kwargs)

    return deliver


CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@dataclass
class FormPoster:
    """Posts forms the way a browser does: fetch the page, take its CSRF token, submit."""

    client: object

    def post(self, url: str, data: dict, form_page: str | None = None, **kwargs):
        page = self.client.get(form_page or url)
        payload = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), **data}
        return self.client.post(url, data=payload, **kwargs)


@pytest.fixture
def forms(client):
    return FormPoster(client)


class AuthActions:
    def __init__(self, forms: FormPoster):
        self.forms = forms

    def login(self, email: str, password: str, **extra):
        return self.forms.post("/auth/login", {"email": email, "password": password, **extra})

    def logout(self):
        return self.forms.post("/auth/logout", {}, form_page="/")


@pytest.fixture
def auth(forms):
    return AuthActions(forms)


@pytest.fixture
def count_queries(app):
    """Counts SQL statements run inside the `with` block: `with count_queries() as counter:`."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return counting
