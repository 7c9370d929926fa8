"""The Stripe webhook: verified, each event applied once, and only what matches the payment is applied."""

from __future__ import annotations

import logging

import stripe
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ecosystem.events.models import RegistrationStatus
from ecosystem.events.registration import cancel_registration
from ecosystem.extensions import db
from ecosystem.payments.common import locked_payment
from ecosystem.payments.models import PaymentStatus, RefundState, StripeEvent
from ecosystem.payments.refunds import mark_refund_succeeded
from ecosystem.payments.settlement import settle
from ecosystem.timeutil import utcnow

log = logging.getLogger(__name__)

WEBHOOK_TOLERANCE_SECONDS = 300
CURRENCY = "vnd"
# Test-only switch for the negative control of the webhook race test: without it an event applies twice.
DEDUPLICATE = True


class WebhookRejected(Exception):
    """The webhook request is not a genuine, fresh Stripe event (answer 400)."""


class WebhookFailed(Exception):
    """Applying a genuine event failed (answer 500: Stripe delivers it again later)."""


def handle_webhook(payload: bytes, signature: str | None) -> str:
    """Verify and apply one Stripe event. Returns "applied", "duplicate" or "ignored".

    Raises `WebhookRejected` (answer 400, nothing changed) for a missing or bad
    signature, a stale timestamp or an altered body. The event id is inserted
    first, in the same transaction as its effects: a second delivery of the same
    event, even a concurrent one, fails on the primary key and changes nothing.
    Raises `WebhookFailed` (answer 500, nothing changed, Stripe delivers it again)
    when applying the event breaks a database constraint.
    """
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret or not signature:
        raise WebhookRejected("missing signature or secret")
    try:
        event = stripe.Webhook.construct_event(
            payload.decode("utf-8"), signature, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
    except (ValueError, stripe.SignatureVerificationError) as error:  # UnicodeDecodeError is a ValueError
        raise WebhookRejected(str(error)) from error
    try:
        if DEDUPLICATE:
            db.session.add(StripeEvent(id=event.id, type=event.type))
            db.session.flush()  # a concurrent delivery waits here until the first one commits, then fails
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    try:
        handler = WEBHOOK_HANDLERS.get(event.type)
        applied = handler(event.data.object) if handler else False
        db.session.commit()
    except IntegrityError as error:
        # Not a duplicate (that failed above): the event could not be applied. Nothing is kept, not even the
        # event id, so Stripe's next delivery tries again.
        db.session.rollback()
        log.error("Stripe event %s (%s) could not be applied: %s", event.id, event.type, error)
        raise WebhookFailed(event.id) from error
    except BaseException:
        db.session.rollback()
        raise
    return "applied" if applied else "ignored"


def _field(obj, name: str, default=None):
    return getattr(obj, name, default) if not isinstance(obj, dict) else obj.get(name, default)


def _on_intent_succeeded(intent) -> bool:
    payment = locked_payment(stripe_payment_intent_id=intent.id)
    if payment is None:
        log.warning("payment_intent.succeeded for unknown PaymentIntent %s", intent.id)
        return False
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        return False  # already succeeded or refunded: one way only
    amount = _field(intent, "amount_received") or _field(intent, "amount")
    currency = (_field(intent, "currency") or "").lower()
    if amount != payment.amount_vnd or currency != CURRENCY:
        # Only the amount asked settles the registration; anything else is left for a person to look at.
        log.error("payment_intent.succeeded %s: %s %s received, %s %s expected: not settled", intent.id, amount,
                  currency, payment.amount_vnd, CURRENCY)
        return False
    settle(payment, utcnow())
    return True


def _on_intent_failed(intent) -> bool:
    payment = locked_payment(stripe_payment_intent_id=intent.id)
    if payment is None or payment.status != PaymentStatus.PENDING:
        return False
    payment.status = PaymentStatus.FAILED  # the registration keeps its hold until it expires
    return True


def _on_charge_refunded(charge) -> bool:
    """A refund in Stripe (ours, or one made in Stripe's dashboard). `amount_refunded` is the charge's total.

    A partial refund is recorded and the ticket stays; a full refund makes the payment refunded, settles any
    refund still due, and cancels a ticket that was still valid.
    """
    intent_id = _field(charge, "payment_intent")
    payment = locked_payment(stripe_payment_intent_id=intent_id) if intent_id else None
    if payment is None or payment.status in (PaymentStatus.REFUNDED, PaymentStatus.CANCELLED):
        return False
    currency = (_field(charge, "currency") or "").lower()
    refunded = _field(charge, "amount_refunded")
    if currency != CURRENCY or not isinstance(refunded, int):
        log.error("charge.refunded for PaymentIntent %s: %r %s refunded, not understood", intent_id, refunded,
                  currency)
        return False
    if refunded <= payment.amount_refunded_vnd:
        return False  # nothing new (our own refund, already recorded by the worker)
    now = utcnow()
    payment.amount_refunded_vnd = refunded
    if refunded < payment.amount_vnd:
        return True  # a partial refund: the ticket stays
    was_paid = payment.status == PaymentStatus.SUCCEEDED
    for refund in payment.refunds:
        if refund.state in (RefundState.DUE, RefundState.FAILED):
            mark_refund_succeeded(payment, refund, None, now)
    payment.status = PaymentStatus.REFUNDED
    payment.refunded_at = payment.refunded_at or now
    registration = payment.registration
    if was_paid and registration.status == RegistrationStatus.CONFIRMED:
        db.session.flush()
        cancel_registration(registration, now, by_organiser=True)  # the seat goes to the next in line; commits
    return True


def _on_intent_canceled(intent) -> bool:
    payment = locked_payment(stripe_payment_intent_id=intent.id)
    if payment is None or payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        return False
    payment.status = PaymentStatus.CANCELLED
    return True


WEBHOOK_HANDLERS = {
    "payment_intent.succeeded": _on_intent_succeeded,
    "payment_intent.payment_failed": _on_intent_failed,
    "charge.refunded": _on_charge_refunded,
    "payment_intent.canceled": _on_intent_canceled,
}
