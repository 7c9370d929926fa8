"""Startup verification: the coordinator's note and checklist

Revision ID: e3a0b0c0d003
Revises: e2a0b0c0d002
Create Date: 2026-12-01 16:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e3a0b0c0d003'
down_revision = 'e2a0b0c0d002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('startups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_note', sa.String(length=1000), nullable=True))


def downgrade():
    with op.batch_alter_table('startups', schema=None) as batch_op:
        batch_op.drop_column('verification_note')
