"""Accounts and input hardening

Revision ID: d5e4a3b2c103
Revises: c3d2f1e0b902
Create Date: 2026-12-01 15:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd5e4a3b2c103'
down_revision = 'c3d2f1e0b902'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
