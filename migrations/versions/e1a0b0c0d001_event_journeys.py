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
    pass


def downgrade():
    pass
