"""A payment arrived (card webhook or recorded transfer): the ticket, or the money recorded as to give back."""

from __future__ import annotations

from datetime import datetime

from ecosystem.events.models import EventStatus
from ecosystem.events.registration import confirm_payment
from ecosystem.extensions import db
from ecosystem.payments.models import Payment, PaymentStatus, RefundReason
from ecosystem.payments.receipts import next_receipt_number
from ecosystem.payments.refunds import record_refund_due


def mark_paid(payment: Payment, now: datetime) -> None:
    payment.status = PaymentStatus.SUCCEEDED
    payment.paid_at = now
    payment.receipt_number = payment.receipt_number or next_receipt_number(now)


def settle(payment: Payment, now: datetime) -> None:
    """A payment arrived: issue the ticket, or record the money as to give back when the seat is gone."""
    mark_paid(payment, now)
    db.session.flush()
    if confirm_payment(payment.registration, now):
        return
    reason = (RefundReason.EVENT_CANCELLED if payment.registration.event.status == EventStatus.CANCELLED
              else RefundReason.SEAT_GONE)
    record_refund_due(payment, reason, now)
