"""Refunds carried out by the worker, transfer holds and paid-back transfers

Revision ID: b7c1e0a9d201
Revises: fa4ac66fe6b1
Create Date: 2026-12-01 15:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7c1e0a9d201'
down_revision = 'fa4ac66fe6b1'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
