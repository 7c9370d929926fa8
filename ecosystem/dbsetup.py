"""Engine settings that depend on the database kind."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy emit BEGIN itself so SAVEPOINTs work (pysqlite would otherwise
        # manage transactions on its own), and enforce foreign keys as PostgreSQL does.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN")


def configure_engines(db) -> None:
    for engine in db.engines.values():
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
