"""Event journeys: declined registrations with a reason, check-in details

Revision ID: e1a0b0c0d001
Revises: c3d2f1e0b902
Create Date: 2026-12-01 16:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e1a0b0c0d001'
down_revision = 'c3d2f1e0b902'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('declined_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decline_reason', sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_event_registrations_declined_by_id_users'), 'users', ['declined_by_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_event_registrations_declined_by_id_users'), type_='foreignkey')
        batch_op.drop_column('decline_reason')
        batch_op.drop_column('declined_by_id')
        batch_op.drop_column('declined_at')
