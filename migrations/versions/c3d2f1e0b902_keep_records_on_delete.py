"""Records that must be kept: ON DELETE RESTRICT

Revision ID: c3d2f1e0b902
Revises: b7c1e0a9d201
Create Date: 2026-12-01 15:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3d2f1e0b902'
down_revision = 'b7c1e0a9d201'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
