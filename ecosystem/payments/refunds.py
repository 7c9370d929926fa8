"""Refunds: recorded as due where the decision is taken, carried out later without any lock held.

A cancellation (of one registration or of a whole event) runs with the event's row locked; it only writes a
`Refund` row in state "due" and sets the payment to "refund due". The worker (`carry_out_due_refunds`, run by
the outbox worker and `flask payments refund-due`) then claims due card refunds one at a time with
`FOR UPDATE SKIP LOCKED`, commits the claim (an attempt counted and the next attempt time pushed back, which
is also the claim's lease), calls Stripe with the idempotency key `refund-<refund id>` while no transaction
is open, and records the outcome. A failed call is retried with exponential backoff; after
`REFUND_MAX_ATTEMPTS` the refund is "failed" and shown to the organiser, who may try again. A worker that
dies half-way leaves the refund due: the next attempt uses the same key, so Stripe refunds only once.

A bank transfer is paid back by hand: a coordinator or the event's organiser marks the refund "paid back"
with the bank reference of the outgoing transfer (who and when are recorded).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import stripe
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ecosystem.auth.models import User
from ecosystem.core.locks import for_update, hook, lock_row
from ecosystem.events.hooks import RefundPreview, set_refund_preview
from ecosystem.events.models import Event, EventStatus, Order, Registration
from ecosystem.extensions import db
from ecosystem.payments.common import PaymentError, configure_stripe, locked_payment, locked_payments_of
from ecosystem.payments.models import Payment, PaymentProvider, PaymentStatus, Refund, RefundReason, RefundState
from ecosystem.timeutil import utcnow

log = logging.getLogger(__name__)

BANK_REFERENCE_MAX = 80
MAX_BACKOFF = timedelta(hours=24)

REFUND_STATE_LABELS = {
    RefundState.DUE: _l("due"),
    RefundState.SUCCEEDED: _l("refunded"),
    RefundState.FAILED: _l("failed"),
    RefundState.PAID_BACK: _l("paid back"),
}
REFUND_REASON_LABELS = {
    RefundReason.ATTENDEE: _l("cancelled by the attendee before the refund deadline"),
    RefundReason.ORGANISER: _l("cancelled by the organiser"),
    RefundReason.EVENT_CANCELLED: _l("the event is cancelled"),
    RefundReason.SEAT_GONE: _l("paid after the seat was released"),
}


# --- recording a refund as due (inside the deciding transaction) ---------------


def record_refund_due(payment: Payment, reason: str, now: datetime | None = None) -> Refund:
    """Give back what is left of a locked, paid payment: a due refund and the payment in "refund due".

    No network call: the caller's transaction may hold the event's row lock. Does not commit.
    """
    now = now or utcnow()
    refund = Refund(payment=payment, amount_vnd=payment.amount_vnd - payment.amount_refunded_vnd, reason=reason,
                    state=RefundState.DUE, next_attempt_at=now)
    payment.status = PaymentStatus.REFUND_DUE
    db.session.add(refund)
    db.session.flush()
    return refund


def refund_registration(registration: Registration, by_organiser: bool = False) -> list[Refund]:
    """Record the refund of what was paid for a cancelled registration. Does not commit; no network call.

    Called in the cancelling transaction (the event's row locked). An organiser's cancellation (of the
    registration or of the whole event) always refunds, whatever the refund deadline and even once the event
    started. The attendee's own cancellation refunds only before the event's refund deadline (or, without
    one, before the event starts).
    """
    payments = locked_payments_of(registration, PaymentStatus.SUCCEEDED)
    if not payments:
        return []
    now = utcnow()
    event = registration.event
    if by_organiser:
        reason = RefundReason.EVENT_CANCELLED if event.status == EventStatus.CANCELLED else RefundReason.ORGANISER
    else:
        if now >= attendee_refund_deadline(event):
            return []
        reason = RefundReason.ATTENDEE
    return [record_refund_due(payment, reason, now) for payment in payments]


def attendee_refund_deadline(event: Event) -> datetime:
    """Until when an attendee who cancels themselves gets their money back: the event's refund deadline, or
    without one its start."""
    return event.refund_deadline or event.starts_at


def preview_attendee_refund(registration: Registration, now: datetime) -> RefundPreview | None:
    """What the attendee's own cancellation would give back now (None when nothing was paid): the rule of
    `refund_registration`, read without locking anything, for the page that asks to confirm."""
    payments = list(db.session.scalars(
        select(Payment).where(Payment.registration_id == registration.id, Payment.status == PaymentStatus.SUCCEEDED)
    ))
    if not payments:
        return None
    paid = sum(payment.amount_vnd - payment.amount_refunded_vnd for payment in payments)
    deadline = attendee_refund_deadline(registration.event)
    return RefundPreview(
        paid_vnd=paid, refund_vnd=paid if now < deadline else 0, deadline=deadline,
        by_transfer=all(payment.provider == PaymentProvider.BANK_TRANSFER for payment in payments),
    )


set_refund_preview(preview_attendee_refund)


# --- carrying card refunds out (the worker) -----------------------------------


@dataclass
class RefundRun:
    succeeded: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.succeeded + self.retrying + self.failed


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: the base doubled after each failure, at most a day."""
    base = current_app.config.get("REFUND_BACKOFF_SECONDS", 60)
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claim_next(now: datetime) -> tuple[int, str, int, int] | None:
    """Claim one due card refund: count the attempt and push its next attempt back (the claim's lease).

    Commits, so the row lock is gone before Stripe is called; a second worker skips the locked row and
    then sees the pushed-back time. Returns (refund id, PaymentIntent id, amount, attempt number).
    """
    statement = (
        select(Refund)
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Refund.state == RefundState.DUE, Refund.next_attempt_at <= now,
               Payment.provider == PaymentProvider.STRIPE)
        .order_by(Refund.next_attempt_at, Refund.id)
        .limit(1)
    )
    # Without the lock two workers refund twice.
    statement = for_update(statement, "payments.refunds", skip_locked=True, of=Refund)
    try:
        refund = db.session.scalar(statement)
        if refund is None:
            db.session.commit()
            return None
        hook("payments.refund_selected")
        refund.attempts += 1
        refund.next_attempt_at = max(now, utcnow()) + backoff(refund.attempts)
        claim = (refund.id, refund.payment.stripe_payment_intent_id, refund.amount_vnd, refund.attempts)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return claim


def _call_stripe(refund_id: int, intent_id: str, amount: int) -> str | None:
    """The Stripe refund (no transaction open). Its id, or None when the charge was already refunded."""
    try:
        created = stripe.Refund.create(payment_intent=intent_id, amount=amount,
                                       metadata={"refund_id": str(refund_id)},
                                       idempotency_key=f"refund-{refund_id}")
    except stripe.InvalidRequestError as error:
        if getattr(error, "code", None) == "charge_already_refunded":
            return None  # refunded meanwhile (a retry after Stripe's idempotency window, or by hand)
        raise
    return created.id


def _locked_refund(refund_id: int) -> tuple[Payment, Refund]:
    """The refund and its payment under their row locks (payment first, like every other path)."""
    payment_id = db.session.scalar(select(Refund.payment_id).where(Refund.id == refund_id))
    payment = locked_payment(id=payment_id)
    refund = lock_row(Refund, refund_id, "payments.refund_rows")
    return payment, refund


def mark_refund_succeeded(payment: Payment, refund: Refund, stripe_refund_id: str | None, now: datetime) -> None:
    """Record a refund Stripe made (both locked). Idempotent: the webhook may have recorded it first."""
    refund.stripe_refund_id = refund.stripe_refund_id or stripe_refund_id
    if refund.state not in (RefundState.DUE, RefundState.FAILED):
        return
    refund.state = RefundState.SUCCEEDED
    refund.completed_at = now
    refund.last_error = None
    refund.next_attempt_at = None
    payment.amount_refunded_vnd = min(payment.amount_vnd, payment.amount_refunded_vnd + refund.amount_vnd)
    payment.stripe_refund_id = payment.stripe_refund_id or stripe_refund_id
    if payment.amount_refunded_vnd >= payment.amount_vnd:
        payment.status = PaymentStatus.REFUNDED
        payment.refunded_at = payment.refunded_at or now


def _record_outcome(refund_id: int, attempt: int, stripe_refund_id: str | None, error: str | None) -> str:
    try:
        payment, refund = _locked_refund(refund_id)
        now = utcnow()
        if error is None:
            mark_refund_succeeded(payment, refund, stripe_refund_id, now)
            outcome = "succeeded"
        elif refund.state != RefundState.DUE:
            outcome = "succeeded"  # the charge.refunded webhook recorded it meanwhile
        else:
            refund.last_error = error[:500]
            if attempt >= current_app.config.get("REFUND_MAX_ATTEMPTS", 8):
                refund.state = RefundState.FAILED
                refund.next_attempt_at = None
                outcome = "failed"
            else:
                outcome = "retrying"
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return outcome


def carry_out_due_refunds(now: datetime | None = None, limit: int = 500) -> RefundRun:
    """Make the due card refunds through Stripe, one at a time, with no lock or transaction open during the
    call. Safe to run from several workers at once. Returns how many succeeded, will be retried, failed."""
    run = RefundRun()
    now = now or utcnow()
    configure_stripe()
    db.session.commit()  # start from a clean session: nothing of ours is open while Stripe answers
    for _ in range(limit):
        claim = _claim_next(now)
        if claim is None:
            break
        refund_id, intent_id, amount, attempt = claim
        stripe_refund_id, error = None, None
        try:
            stripe_refund_id = _call_stripe(refund_id, intent_id, amount)
        except stripe.StripeError as failure:
            log.warning("refund %s (attempt %s) failed: %s", refund_id, attempt, failure)
            error = f"{type(failure).__name__}: {failure.user_message or failure}"
        outcome = _record_outcome(refund_id, attempt, stripe_refund_id, error)
        setattr(run, outcome, getattr(run, outcome) + 1)
    return run


# --- by hand: paid back transfers, a failed refund tried again -----------------


def _refund_for_update(refund_id: int) -> tuple[Payment, Refund]:
    payment_id = db.session.scalar(select(Refund.payment_id).where(Refund.id == refund_id))
    if payment_id is None:
        raise PaymentError(_l("This refund does not exist."))
    return _locked_refund(refund_id)


def mark_paid_back(refund_id: int, paid_back_by: User, bank_reference: str) -> Refund:
    """A coordinator or the event's organiser paid a transfer back by hand. Commits."""
    bank_reference = " ".join((bank_reference or "").split())
    if not bank_reference:
        raise PaymentError(_l("Enter the bank reference of the transfer you made."))
    if len(bank_reference) > BANK_REFERENCE_MAX:
        raise PaymentError(_l("A bank reference has at most %(max)d characters.", max=BANK_REFERENCE_MAX))
    try:
        payment, refund = _refund_for_update(refund_id)
        if payment.provider != PaymentProvider.BANK_TRANSFER:
            raise PaymentError(_l("Card payments are refunded through Stripe, not by hand."))
        if refund.state != RefundState.DUE:
            raise PaymentError(_l("This refund is not due any more."))
        now = utcnow()
        refund.state = RefundState.PAID_BACK
        refund.paid_back_by_id = paid_back_by.id
        refund.paid_back_at = now
        refund.completed_at = now
        refund.bank_reference = bank_reference
        refund.next_attempt_at = None
        payment.amount_refunded_vnd = min(payment.amount_vnd, payment.amount_refunded_vnd + refund.amount_vnd)
        if payment.amount_refunded_vnd >= payment.amount_vnd:
            payment.status = PaymentStatus.REFUNDED
            payment.refunded_at = now
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return refund


def retry_refund(refund_id: int) -> Refund:
    """An organiser tries a failed card refund again: due now, attempts counted from zero. Commits."""
    try:
        payment, refund = _refund_for_update(refund_id)
        if refund.state != RefundState.FAILED:
            raise PaymentError(_l("Only a failed refund can be tried again."))
        refund.state = RefundState.DUE
        refund.attempts = 0
        refund.next_attempt_at = utcnow()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return refund


def refund_event_id(refund_id: int) -> int | None:
    """The event a refund belongs to (for the permission check)."""
    return db.session.scalar(
        select(Registration.event_id).join(Payment, Payment.registration_id == Registration.id)
        .join(Refund, Refund.payment_id == Payment.id).where(Refund.id == refund_id)
    )


def event_refunds(event: Event) -> list[Refund]:
    """Every refund of an event with its payment, attendee and who paid it back: constant queries."""
    return list(db.session.scalars(
        select(Refund)
        .join(Payment, Payment.id == Refund.payment_id)
        .join(Registration, Registration.id == Payment.registration_id)
        .where(Registration.event_id == event.id)
        .options(
            joinedload(Refund.payment).joinedload(Payment.registration).joinedload(Registration.attendee),
            joinedload(Refund.payment).joinedload(Payment.registration).joinedload(Registration.ticket_type),
            joinedload(Refund.payment).joinedload(Payment.registration).joinedload(Registration.order)
            .joinedload(Order.buyer),
            joinedload(Refund.paid_back_by),
        )
        .order_by(Refund.created_at, Refund.id)
    ).unique())


def refund_options():
    """Loader options for a payment list that shows each payment's refunds."""
    return selectinload(Payment.refunds).joinedload(Refund.paid_back_by)
