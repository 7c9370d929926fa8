"""Status columns checked by the database: CHECK constraints from the enums

Revision ID: f1a0b0c0d004
Revises: e3a0b0c0d003
Create Date: 2026-12-01 16:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f1a0b0c0d004'
down_revision = 'e3a0b0c0d003'
branch_labels = None
depends_on = None


# (table, column, allowed values) as the models' enums held them at this revision; the constraint
# is named by the naming convention, ck_<table>_<column>.
CHECKED = [
    ('delegation_calls', 'status', ['draft', 'open', 'closed']),
    ('delegation_applications', 'status',
     ['draft', 'submitted', 'withdrawn', 'accepted', 'reserve', 'offered', 'rejected']),
    ('outbox_messages', 'status', ['pending', 'sent', 'failed']),
    ('events', 'status', ['draft', 'published', 'cancelled']),
    ('event_registrations', 'status',
     ['pending-approval', 'awaiting-payment', 'confirmed', 'waitlisted', 'cancelled', 'checked-in']),
    ('directory_components', 'status', ['pending', 'approved', 'rejected']),
    ('payments', 'status', ['pending', 'succeeded', 'failed', 'refunded', 'refund-due', 'cancelled']),
    ('refunds', 'state', ['due', 'succeeded', 'failed', 'paid-back']),
]


def upgrade():
    # batch_alter_table rebuilds the table on SQLite and emits a plain ALTER TABLE on PostgreSQL.
    for table, column, values in CHECKED:
        allowed = ', '.join(f"'{value}'" for value in values)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f'ck_{table}_{column}'), sa.text(f'{column} IN ({allowed})'))


def downgrade():
    for table, column, _values in reversed(CHECKED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')
