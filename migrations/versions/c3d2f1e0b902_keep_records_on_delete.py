"""Records that must be kept: ON DELETE RESTRICT

Orders, registrations, payments and delegation applications are records of money, seats and
selections: deleting a ticket type, an event, a user, a startup, a team or a call never takes them
along any more (the services refuse first, under a lock; the database is the backstop).

Revision ID: c3d2f1e0b902
Revises: b7c1e0a9d201
Create Date: 2026-12-01 15:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3d2f1e0b902'
down_revision = 'b7c1e0a9d201'
branch_labels = None
depends_on = None

# (table, column, referred table); names follow the naming convention fk_<table>_<column>_<referred table>.
KEPT = [
    ('event_orders', 'event_id', 'events'),
    ('event_orders', 'buyer_id', 'users'),
    ('event_registrations', 'event_id', 'events'),
    ('event_registrations', 'ticket_type_id', 'event_ticket_types'),
    ('event_registrations', 'order_id', 'event_orders'),
    ('event_registrations', 'attendee_id', 'users'),
    ('payments', 'registration_id', 'event_registrations'),
    ('delegation_applications', 'call_id', 'delegation_calls'),
    ('delegation_applications', 'startup_id', 'startups'),
    ('delegation_applications', 'team_id', 'club_teams'),
    ('delegation_travellers', 'user_id', 'users'),
]


def _set_ondelete(ondelete: str) -> None:
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, referred in KEPT:
        tables.setdefault(table, []).append((column, referred))
    for table, keys in tables.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, referred in keys:
                name = op.f(f'fk_{table}_{column}_{referred}')
                batch_op.drop_constraint(name, type_='foreignkey')
                batch_op.create_foreign_key(name, referred, [column], ['id'], ondelete=ondelete)


def upgrade():
    _set_ondelete('RESTRICT')


def downgrade():
    _set_ondelete('CASCADE')
