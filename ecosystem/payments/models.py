"""Payments for registrations (Stripe or bank transfer) and the Stripe events received."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecosystem.events.models import Registration
from ecosystem.extensions import db
from ecosystem.timeutil import UTCDateTime, utcnow


class PaymentProvider(enum.StrEnum):
    STRIPE = "stripe"
    BANK_TRANSFER = "bank-transfer"


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDED = "refunded"
    REFUND_DUE = "refund-due"  # a bank transfer to give back: the coordinator pays it back by hand
    CANCELLED = "cancelled"  # a card payment abandoned with its registration: the PaymentIntent is cancelled


class Payment(db.Model):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    amount_vnd: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default=PaymentStatus.PENDING)
    # One PaymentIntent per registration attempt, created with this idempotency key.
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    stripe_refund_id: Mapped[str | None] = mapped_column(String(80))
    transfer_reference: Mapped[str | None] = mapped_column(String(40), unique=True)  # in the VietQR payload
    receipt_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()


class StripeEvent(db.Model):
    """Each webhook event id once: a duplicate delivery changes nothing."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    type: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReceiptCounter(db.Model):
    """The last receipt number given in a calendar year (Vietnam time)."""

    __tablename__ = "receipt_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)
