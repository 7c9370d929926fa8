"""Payments for registrations (Stripe or bank transfer) and the Stripe events received."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecosystem.auth.models import User
from ecosystem.core.columns import status_type
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
    REFUNDED = "refunded"  # the money is back: Stripe refunded it, or a coordinator paid the transfer back
    REFUND_DUE = "refund-due"  # a refund is recorded (`Refund`): the worker or a coordinator carries it out
    CANCELLED = "cancelled"  # a card payment abandoned with its registration: the PaymentIntent is cancelled


class Payment(db.Model):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id", ondelete="RESTRICT"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    amount_vnd: Mapped[int]
    status: Mapped[str] = mapped_column(status_type(PaymentStatus, 10), default=PaymentStatus.PENDING)
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
    # What Stripe says was refunded so far (`charge.refunded`), or what our refunds gave back.
    amount_refunded_vnd: Mapped[int] = mapped_column(default=0, server_default="0")

    registration: Mapped[Registration] = relationship()
    refunds: Mapped[list[Refund]] = relationship(back_populates="payment", order_by="Refund.id")


class RefundState(enum.StrEnum):
    DUE = "due"  # recorded; the worker (card) or a coordinator (bank transfer) carries it out
    SUCCEEDED = "succeeded"  # Stripe refunded it
    FAILED = "failed"  # Stripe refused it every time: an organiser must look at it
    PAID_BACK = "paid-back"  # a bank transfer paid back by hand (who, when, bank reference)


class RefundReason(enum.StrEnum):
    ATTENDEE = "attendee"  # the attendee cancelled before the refund deadline
    ORGANISER = "organiser"  # an organiser cancelled the registration
    EVENT_CANCELLED = "event-cancelled"  # the whole event was cancelled
    SEAT_GONE = "seat-gone"  # the money arrived after the seat was released


class Refund(db.Model):
    """Money to give back for one payment. Written in the transaction that decides it (no network call there);
    card refunds are carried out by the worker (`carry_out_due_refunds`), transfers paid back by hand."""

    __tablename__ = "refunds"
    __table_args__ = (Index("ix_refunds_state_next_attempt", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id", ondelete="RESTRICT"), index=True)
    amount_vnd: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(status_type(RefundState, 10, name="state"), default=RefundState.DUE)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    stripe_refund_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_back_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    paid_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bank_reference: Mapped[str | None] = mapped_column(String(80))

    payment: Mapped[Payment] = relationship(back_populates="refunds")
    paid_back_by: Mapped[User | None] = relationship()


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
