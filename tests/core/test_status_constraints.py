"""Status columns are enums the database checks: an unknown status is refused by a CHECK constraint
(even from raw SQL) and, before that, by the column type."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from ecosystem.events.models import Event
from ecosystem.extensions import db
from ecosystem.mail.models import OutboxMessage
from tests.factories import make_component, make_event
from tests.factories.delegations import make_call

# Every status column, (table, column): each carries ck_<table>_<column>.
STATUS_COLUMNS = [
    ("delegation_calls", "status"),
    ("delegation_applications", "status"),
    ("outbox_messages", "status"),
    ("events", "status"),
    ("event_registrations", "status"),
    ("directory_components", "status"),
    ("payments", "status"),
    ("refunds", "state"),
]


def _outbox_message(app) -> int:
    with app.app_context():
        message = OutboxMessage(recipient="a@example.com", subject="s", body_text="b", template="t", locale="vi")
        db.session.add(message)
        db.session.commit()
        return message.id


ROW_MAKERS = {
    "events": lambda app: make_event(app).id,
    "delegation_calls": lambda app: make_call(app).id,
    "directory_components": lambda app: make_component(app).id,
    "outbox_messages": _outbox_message,
}


@pytest.mark.parametrize("table, column", STATUS_COLUMNS)
def test_every_status_column_carries_a_check_constraint(app, table, column):
    with app.app_context():
        names = {
            constraint["name"] for constraint in sa.inspect(db.engine).get_check_constraints(table)
        }
    assert f"ck_{table}_{column}" in names


@pytest.mark.parametrize("table", sorted(ROW_MAKERS))
def test_the_database_refuses_an_unknown_status(app, table):
    row_id = ROW_MAKERS[table](app)
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(sa.text(f"UPDATE {table} SET status = 'bogus' WHERE id = :id"), {"id": row_id})  # nosec B608 - table names are the test's own
        db.session.rollback()


def test_an_unknown_status_is_refused_before_the_database(app):
    event = make_event(app)
    with app.app_context():
        db.session.get(Event, event.id).status = "bogus"
        with pytest.raises(StatementError, match="bogus"):
            db.session.flush()
        db.session.rollback()
