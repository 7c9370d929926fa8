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


def upgrade():
    pass


def downgrade():
    pass
