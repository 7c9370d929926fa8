"""The migrations build exactly the schema the models describe, on this pass's database."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from ecosystem import create_app
from ecosystem.extensions import db
from tests.conftest import _postgres_url


@pytest.fixture
def empty_database(tmp_path, database_kind):
    if database_kind == "sqlite":
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrations.sqlite3'}"}
        return
    url = _postgres_url("main")
    schema = f"ecosystem_migrations_{os.getpid()}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema},public"}},
    }
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def test_upgrade_matches_the_models_and_downgrade_undoes_it(empty_database):
    migrated_app = create_app("testing", empty_database)
    with migrated_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []

        downgrade(revision="base")
        with db.engine.connect() as connection:
            remaining = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()
