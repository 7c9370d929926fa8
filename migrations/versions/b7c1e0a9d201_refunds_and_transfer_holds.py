"""Refunds carried out by the worker, transfer holds and paid-back transfers

Revision ID: b7c1e0a9d201
Revises: fa4ac66fe6b1
Create Date: 2026-12-01 15:40:00

"""
import sqlalchemy as sa
from alembic import op

import ecosystem.timeutil


# revision identifiers, used by Alembic.
revision = 'b7c1e0a9d201'
down_revision = 'fa4ac66fe6b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('amount_vnd', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('stripe_refund_id', sa.String(length=80), nullable=True),
    sa.Column('created_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_back_by_id', sa.Integer(), nullable=True),
    sa.Column('paid_back_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('bank_reference', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['paid_back_by_id'], ['users.id'], name=op.f('fk_refunds_paid_back_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_refunds_payment_id_payments'),
                            ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('stripe_refund_id', name=op.f('uq_refunds_stripe_refund_id'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index('ix_refunds_state_next_attempt', ['state', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amount_refunded_vnd', sa.Integer(), server_default='0', nullable=False))

    # Bank transfers already waiting to be paid back get their refund row, so that they can be marked paid back.
    connection = op.get_bind()
    payments = sa.table('payments', sa.column('id'), sa.column('registration_id'), sa.column('provider'),
                        sa.column('status'), sa.column('amount_vnd'),
                        sa.column('paid_at', ecosystem.timeutil.UTCDateTime()))
    registrations = sa.table('event_registrations', sa.column('id'), sa.column('event_id'),
                             sa.column('cancelled_at', ecosystem.timeutil.UTCDateTime()))
    events = sa.table('events', sa.column('id'), sa.column('status'))
    refunds = sa.table('refunds', sa.column('payment_id'), sa.column('amount_vnd'), sa.column('reason'),
                       sa.column('state'), sa.column('attempts'),
                       sa.column('next_attempt_at', ecosystem.timeutil.UTCDateTime()),
                       sa.column('created_at', ecosystem.timeutil.UTCDateTime()))
    rows = connection.execute(
        sa.select(payments.c.id, payments.c.amount_vnd, payments.c.paid_at, registrations.c.cancelled_at,
                  events.c.status)
        .select_from(payments.join(registrations, registrations.c.id == payments.c.registration_id)
                     .join(events, events.c.id == registrations.c.event_id))
        .where(payments.c.status == 'refund-due')
    ).all()
    now = ecosystem.timeutil.utcnow()
    for payment_id, amount, paid_at, cancelled_at, event_status in rows:
        if event_status == 'cancelled':
            reason = 'event-cancelled'
        elif cancelled_at is not None and paid_at is not None and cancelled_at > paid_at:
            reason = 'attendee'
        else:
            reason = 'seat-gone'
        connection.execute(refunds.insert().values(payment_id=payment_id, amount_vnd=amount, reason=reason,
                                                   state='due', attempts=0, next_attempt_at=now, created_at=now))


def downgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_column('amount_refunded_vnd')

    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index('ix_refunds_state_next_attempt')
        batch_op.drop_index(batch_op.f('ix_refunds_payment_id'))

    op.drop_table('refunds')
