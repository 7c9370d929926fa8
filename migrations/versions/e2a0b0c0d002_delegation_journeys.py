"""Delegation journeys: the call's official notice, decision letter number and date

Revision ID: e2a0b0c0d002
Revises: e1a0b0c0d001
Create Date: 2026-12-01 16:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e2a0b0c0d002'
down_revision = 'e1a0b0c0d001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
