"""Payments: Stripe PaymentIntents and webhooks, refunds, bank transfers (VietQR).

Only this module talks to Stripe. Stripe is "on" when `STRIPE_SECRET_KEY` is
set; otherwise paid tickets are paid by bank transfer to the event's account
(a VietQR code) and a coordinator or the event's organiser records the transfer.

A payment only moves forward: pending → failed → succeeded → refunded (or
refund due, for a bank transfer whose seat was gone). A late or repeated
webhook never moves it back.
"""

from __future__ import annotations

import logging
import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import stripe
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import policy
from ecosystem.core.listing import ListQuery, Page, paginate
from ecosystem.events.models import EventOrganiser, Order, Registration, RegistrationStatus
from ecosystem.events.registration import RegistrationError, confirm_payment
from ecosystem.events.signals import registration_cancelled
from ecosystem.extensions import db
from ecosystem.payments.models import Payment, PaymentProvider, PaymentStatus, StripeEvent
from ecosystem.payments.receipts import next_receipt_number
from ecosystem.payments.vietqr import vietqr_payload
from ecosystem.timeutil import utcnow

log = logging.getLogger(__name__)

DEFAULT_STRIPE_JS_URL = "https://js.stripe.com/v3/"
# Stripe.js from js.stripe.com talks to these origins besides its own (frames and API calls).
REAL_STRIPE_ORIGINS = ("https://js.stripe.com", "https://api.stripe.com", "https://hooks.stripe.com")
WEBHOOK_TOLERANCE_SECONDS = 300
TRANSFER_ALPHABET = string.ascii_uppercase + string.digits


class PaymentError(RegistrationError):
    """A payment cannot be made or recorded; `message` says why (translated)."""


class WebhookRejected(Exception):
    """The webhook request is not a genuine, fresh Stripe event (answer 400)."""


# --- configuration --------------------------------------------------------


def stripe_enabled() -> bool:
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def stripe_js_url() -> str:
    return current_app.config.get("STRIPE_JS_URL") or DEFAULT_STRIPE_JS_URL


def stripe_csp_origins() -> tuple[str, ...]:
    """Origins the payment page needs in its Content-Security-Policy (script, frame, connect)."""
    parts = urlsplit(stripe_js_url())
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin == "https://js.stripe.com":
        return REAL_STRIPE_ORIGINS
    return (origin,)


def _configure_stripe() -> None:
    stripe.api_key = current_app.config.get("STRIPE_SECRET_KEY")
    stripe.api_base = current_app.config.get("STRIPE_API_BASE") or "https://api.stripe.com"


# --- who may do what ------------------------------------------------------


def _is_payer(user: User, registration: Registration) -> bool:
    return user.id in (registration.attendee_id, registration.order.buyer_id)


def _organises(user: User, event_id: int) -> bool:
    if user.has_role(Role.COORDINATOR):
        return True
    return db.session.scalar(
        select(EventOrganiser.id).where(EventOrganiser.event_id == event_id, EventOrganiser.user_id == user.id)
    ) is not None


@policy("payment.pay")
def _may_pay(user: User, registration: Registration) -> bool:
    return _is_payer(user, registration)


@policy("payment.view")
def _may_view(user: User, payment: Payment) -> bool:
    return _is_payer(user, payment.registration) or _organises(user, payment.registration.event_id)


@policy("payment.record")
def _may_record(user: User, payment: Payment) -> bool:
    return _organises(user, payment.registration.event_id)


# --- starting a payment ---------------------------------------------------


@dataclass
class PaymentStart:
    registration: Registration
    payment: Payment
    client_secret: str | None = None  # Stripe
    vietqr: str | None = None  # bank transfer: the EMVCo payload shown as a QR code


def _attempt_key(registration: Registration) -> str:
    """One key per registration and hold: a new hold (after promotion) is a new attempt."""
    hold = int(registration.hold_expires_at.timestamp()) if registration.hold_expires_at else 0
    return f"registration-{registration.id}-hold-{hold}"


def _transfer_reference() -> str:
    return "TN" + "".join(secrets.choice(TRANSFER_ALPHABET) for _ in range(8))


def _bank_payload(registration: Registration, payment: Payment) -> str:
    event = registration.event
    return vietqr_payload(event.bank_bin, event.bank_account_number, payment.amount_vnd, payment.transfer_reference)


def start_payment(registration: Registration, user: User) -> PaymentStart:
    """Open (or re-open) the payment of a registration awaiting payment. Commits.

    Stripe: one PaymentIntent per registration and hold (idempotency key), the
    same pending payment re-used when the page is opened again. Bank transfer:
    a pending payment with its transfer reference for the VietQR code.
    """
    if not _is_payer(user, registration):
        raise PaymentError(_l("Only the attendee or the person who registered them may pay for this seat."))
    if registration.status != RegistrationStatus.AWAITING_PAYMENT:
        raise PaymentError(_l("This registration is not waiting for a payment."))
    if registration.hold_expires_at is not None and registration.hold_expires_at <= utcnow():
        raise PaymentError(_l("The time to pay for this seat has run out."))
    key = _attempt_key(registration)
    payment = db.session.scalar(select(Payment).where(Payment.idempotency_key == key))
    if payment is None:
        payment = _create_payment(registration, key)
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        raise PaymentError(_l("This registration is already paid."))
    if payment.provider == PaymentProvider.STRIPE:
        if not stripe_enabled():
            raise PaymentError(_l("Card payments are not available at the moment."))
        _configure_stripe()
        try:
            intent = stripe.PaymentIntent.retrieve(payment.stripe_payment_intent_id)
        except stripe.StripeError as error:
            log.warning("could not retrieve PaymentIntent %s: %s", payment.stripe_payment_intent_id, error)
            raise PaymentError(_l("The card payment service does not answer. Please try again later.")) from error
        return PaymentStart(registration, payment, client_secret=intent.client_secret)
    return PaymentStart(registration, payment, vietqr=_bank_payload(registration, payment))


def _create_payment(registration: Registration, key: str) -> Payment:
    amount = registration.ticket_type.price_vnd
    payment = Payment(registration_id=registration.id, amount_vnd=amount, idempotency_key=key,
                      status=PaymentStatus.PENDING)
    if stripe_enabled():
        payment.provider = PaymentProvider.STRIPE
        _configure_stripe()
        try:
            intent = stripe.PaymentIntent.create(
                amount=amount,  # VND is a zero-decimal currency: the amount is in đồng
                currency="vnd",
                payment_method_types=["card"],
                metadata={"registration_id": str(registration.id)},
                idempotency_key=key,
            )
        except stripe.StripeError as error:
            log.warning("could not create a PaymentIntent for registration %s: %s", registration.id, error)
            raise PaymentError(_l("The card payment service does not answer. Please try again later.")) from error
        payment.stripe_payment_intent_id = intent.id
    else:
        event = registration.event
        if not (event.bank_bin and event.bank_account_number):
            raise PaymentError(_l("The organiser has not given a bank account yet. Please contact them to pay."))
        payment.provider = PaymentProvider.BANK_TRANSFER
        payment.transfer_reference = _transfer_reference()
    db.session.add(payment)
    try:
        db.session.commit()
    except IntegrityError:
        # The same page opened twice at once: the other request created it (same key, same intent).
        db.session.rollback()
        payment = db.session.scalar(select(Payment).where(Payment.idempotency_key == key))
        if payment is None:
            raise
    return payment


def payment_for_registration(registration: Registration) -> Payment | None:
    """The latest payment of a registration (for the status page)."""
    return db.session.scalar(
        select(Payment).where(Payment.registration_id == registration.id).order_by(Payment.id.desc()).limit(1)
    )


# --- state changes --------------------------------------------------------


def _mark_paid(payment: Payment, now: datetime) -> None:
    payment.status = PaymentStatus.SUCCEEDED
    payment.paid_at = now
    payment.receipt_number = payment.receipt_number or next_receipt_number(now)


def _stripe_refund(payment: Payment, now: datetime) -> None:
    _configure_stripe()
    try:
        refund = stripe.Refund.create(
            payment_intent=payment.stripe_payment_intent_id, idempotency_key=f"refund-payment-{payment.id}"
        )
    except stripe.StripeError as error:
        log.error("refund of payment %s failed: %s", payment.id, error)
        raise PaymentError(_l("The refund could not be made now. Please try again later.")) from error
    payment.stripe_refund_id = refund.id
    payment.status = PaymentStatus.REFUNDED
    payment.refunded_at = now


def _settle(payment: Payment, now: datetime) -> None:
    """A payment arrived: issue the ticket, or give the money back when the seat is gone."""
    _mark_paid(payment, now)
    db.session.flush()
    if confirm_payment(payment.registration, now):
        return
    if payment.provider == PaymentProvider.STRIPE:
        _stripe_refund(payment, now)
    else:
        payment.status = PaymentStatus.REFUND_DUE


def _locked_payment(**criteria) -> Payment | None:
    statement = select(Payment).filter_by(**criteria).with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(statement)


@registration_cancelled.connect
def _on_registration_cancelled(registration: Registration, by_organiser: bool = False, **_) -> None:
    refund_registration(registration)


def refund_registration(registration: Registration) -> None:
    """Refund what was paid for a cancelled registration, if anything was. Does not commit.

    Called by `cancel_registration` in its transaction. Before the event's refund
    deadline (or, without one, before the event starts) a card payment is refunded
    through Stripe and a bank transfer is marked "refund due" for the coordinator.
    """
    payment = _locked_payment(registration_id=registration.id, status=PaymentStatus.SUCCEEDED)
    if payment is None:
        return
    now = utcnow()
    event = registration.event
    deadline = event.refund_deadline or event.starts_at
    if now >= deadline:
        return
    if payment.provider == PaymentProvider.STRIPE:
        _stripe_refund(payment, now)
    else:
        payment.status = PaymentStatus.REFUND_DUE
    db.session.flush()


def record_transfer(payment_id: int, recorded_by: User) -> Payment:
    """A coordinator or the event's organiser saw the bank transfer arrive. Commits."""
    try:
        payment = _locked_payment(id=payment_id)
        if payment is None or payment.provider != PaymentProvider.BANK_TRANSFER:
            raise PaymentError(_l("This is not a bank transfer payment."))
        if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            raise PaymentError(_l("This transfer is already recorded."))
        payment.recorded_by_id = recorded_by.id
        _settle(payment, utcnow())
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return payment


TRANSFER_SORTS = {"oldest": (Payment.created_at, Payment.id), "newest": (Payment.created_at.desc(), Payment.id.desc())}
TRANSFER_STATUSES = frozenset({PaymentStatus.PENDING, PaymentStatus.REFUND_DUE})


def transfers_to_check(user: User, query: ListQuery) -> Page:
    """Bank transfers waiting for a coordinator or organiser (pending, or to pay back). Two queries."""
    statement = (
        select(Payment)
        .join(Registration, Payment.registration_id == Registration.id)
        .where(Payment.provider == PaymentProvider.BANK_TRANSFER,
               Payment.status == query.facets.get("status", PaymentStatus.PENDING))
        .options(
            joinedload(Payment.registration).joinedload(Registration.event),
            joinedload(Payment.registration).joinedload(Registration.attendee),
            joinedload(Payment.registration).joinedload(Registration.ticket_type),
            joinedload(Payment.registration).joinedload(Registration.order).joinedload(Order.buyer),
        )
        .order_by(*TRANSFER_SORTS[query.sort])
    )
    if not (user.is_admin or user.has_role(Role.COORDINATOR)):
        organised = select(EventOrganiser.event_id).where(EventOrganiser.user_id == user.id)
        statement = statement.where(Registration.event_id.in_(organised))
    return paginate(db.session, statement, query)


def may_check_transfers(user: User) -> bool:
    if user.is_admin or user.has_role(Role.COORDINATOR):
        return True
    return db.session.scalar(select(EventOrganiser.id).where(EventOrganiser.user_id == user.id).limit(1)) is not None


# --- Stripe webhook -------------------------------------------------------


def handle_webhook(payload: bytes, signature: str | None) -> str:
    """Verify and apply one Stripe event. Returns "applied", "duplicate" or "ignored".

    Raises `WebhookRejected` (answer 400, nothing changed) for a missing or bad
    signature, a stale timestamp or an altered body. The event id is inserted
    first, in the same transaction as its effects: a second delivery of the same
    event, even a concurrent one, fails on the primary key and changes nothing.
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
        db.session.add(StripeEvent(id=event.id, type=event.type))
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    try:
        handler = WEBHOOK_HANDLERS.get(event.type)
        applied = handler(event.data.object) if handler else False
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a concurrent delivery of the same event committed first
        return "duplicate"
    except BaseException:
        db.session.rollback()
        raise
    return "applied" if applied else "ignored"


def _on_intent_succeeded(intent) -> bool:
    payment = _locked_payment(stripe_payment_intent_id=intent.id)
    if payment is None:
        log.warning("payment_intent.succeeded for unknown PaymentIntent %s", intent.id)
        return False
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        return False  # already succeeded or refunded: one way only
    _settle(payment, utcnow())
    return True


def _on_intent_failed(intent) -> bool:
    payment = _locked_payment(stripe_payment_intent_id=intent.id)
    if payment is None or payment.status != PaymentStatus.PENDING:
        return False
    payment.status = PaymentStatus.FAILED  # the registration keeps its hold until it expires
    return True


def _on_charge_refunded(charge) -> bool:
    intent_id = getattr(charge, "payment_intent", None)
    payment = _locked_payment(stripe_payment_intent_id=intent_id) if intent_id else None
    if payment is None or payment.status == PaymentStatus.REFUNDED:
        return False
    payment.status = PaymentStatus.REFUNDED
    payment.refunded_at = payment.refunded_at or utcnow()
    return True


def _on_intent_canceled(intent) -> bool:
    payment = _locked_payment(stripe_payment_intent_id=intent.id)
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


def abandoned_intent_payment_ids() -> list[int]:
    """Card payments still open whose registration was cancelled (by the person, an organiser or an expired hold)."""
    return list(db.session.scalars(
        select(Payment.id)
        .join(Registration, Registration.id == Payment.registration_id)
        .where(Payment.provider == PaymentProvider.STRIPE,
               Payment.status.in_((PaymentStatus.PENDING, PaymentStatus.FAILED)),
               Payment.stripe_payment_intent_id.is_not(None),
               Registration.status == RegistrationStatus.CANCELLED)
        .order_by(Payment.id)
    ))


def cancel_abandoned_intents() -> int:
    """Cancel the PaymentIntents of cancelled registrations, so that a card can no longer be charged for a seat
    that is gone. Runs outside the cancellation's transaction (no event lock held while Stripe answers);
    a PaymentIntent that was paid meanwhile is left to the webhook, which refunds it. Returns how many."""
    if not stripe_enabled():
        return 0
    _configure_stripe()
    cancelled = 0
    for payment_id in abandoned_intent_payment_ids():
        payment = _locked_payment(id=payment_id)
        if payment is None or payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            db.session.commit()
            continue
        try:
            stripe.PaymentIntent.cancel(payment.stripe_payment_intent_id,
                                        idempotency_key=f"cancel-payment-{payment.id}")
        except stripe.StripeError as error:
            log.warning("PaymentIntent of payment %s not cancelled: %s", payment.id, error)
            db.session.commit()
            continue
        payment.status = PaymentStatus.CANCELLED
        db.session.commit()
        cancelled += 1
    return cancelled
