"""Delegation journeys: the call's official notice, the decision letter's number, date and signer, pending decks

Revision ID: e2a0b0c0d002
Revises: e1a0b0c0d001
Create Date: 2026-12-01 16:00:00

"""
import sqlalchemy as sa
from alembic import op

import ecosystem.timeutil


# revision identifiers, used by Alembic.
revision = 'e2a0b0c0d002'
down_revision = 'e1a0b0c0d001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delegation_calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_file', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('decision_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('decision_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('decision_signer_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('decision_signed_on_behalf', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))

    op.create_table('delegation_pending_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=120), nullable=False),
    sa.Column('created_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_delegation_pending_uploads_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegation_pending_uploads')),
    sa.UniqueConstraint('token', name=op.f('uq_delegation_pending_uploads_token'))
    )
    with op.batch_alter_table('delegation_pending_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegation_pending_uploads_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegation_pending_uploads_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('delegation_pending_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegation_pending_uploads_user_id'))
        batch_op.drop_index(batch_op.f('ix_delegation_pending_uploads_created_at'))
    op.drop_table('delegation_pending_uploads')

    with op.batch_alter_table('delegation_calls', schema=None) as batch_op:
        batch_op.drop_column('decision_signed_on_behalf')
        batch_op.drop_column('decision_signer_name')
        batch_op.drop_column('decision_date')
        batch_op.drop_column('decision_number')
        batch_op.drop_column('notice_file')
