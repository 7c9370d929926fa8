"""Payments: Stripe PaymentIntents and webhooks, bank transfers (VietQR); refunds live in `refunds`.

Only the payments package talks to Stripe. Stripe is "on" when `STRIPE_SECRET_KEY` is
set; otherwise paid tickets are paid by bank transfer to the event's account
(a VietQR code) and a coordinator or the event's organiser records the transfer.

A payment only moves forward: pending → failed → succeeded → refund due → refunded.
A late or repeated webhook never moves it back. No Stripe call is made while a
row lock is held: refunds are recorded as due and carried out by the worker.
"""

from __future__ import annotations

import logging
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta

import stripe
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import policy
from ecosystem.core.listing import ListQuery, Page, paginate
from ecosystem.events.models import (
    Event,
    EventStatus,
    Order,
    Registration,
    RegistrationStatus,
)
from ecosystem.events.organisers import is_organiser, organised_event_ids, organises_any
from ecosystem.events.registration import default_payment_hold, set_payment_hold
from ecosystem.events.signals import registration_cancelled
from ecosystem.extensions import db
from ecosystem.payments.banks import bank_by_bin  # noqa: F401 - also registers the bank directory for events
from ecosystem.payments.common import (  # noqa: F401 - part of this module's interface (views, tests)
    DEFAULT_STRIPE_JS_URL,
    REAL_STRIPE_ORIGINS,
    PaymentError,
    configure_stripe,
    locked_payment,
    stripe_csp_origins,
    stripe_enabled,
    stripe_js_url,
)
from ecosystem.payments.models import Payment, PaymentProvider, PaymentStatus
from ecosystem.payments.refunds import refund_options, refund_registration
from ecosystem.payments.settlement import settle
from ecosystem.payments.vietqr import vietqr_payload
from ecosystem.payments.webhooks import (  # noqa: F401 - part of this module's interface (views, tests)
    WEBHOOK_HANDLERS,
    WebhookFailed,
    WebhookRejected,
    handle_webhook,
)
from ecosystem.timeutil import utcnow

log = logging.getLogger(__name__)

TRANSFER_ALPHABET = string.ascii_uppercase + string.digits




# --- how long a seat waits for its payment --------------------------------


def transfer_hold() -> timedelta:
    return timedelta(hours=current_app.config.get("TRANSFER_HOLD_HOURS", 72))


def payment_hold(event: Event, promoted: bool) -> timedelta:
    """A bank transfer takes days (`TRANSFER_HOLD_HOURS`); a card takes minutes (the events default)."""
    if stripe_enabled():
        return default_payment_hold(event, promoted)
    return transfer_hold()


set_payment_hold(payment_hold)


# --- who may do what ------------------------------------------------------


def _is_payer(user: User, registration: Registration) -> bool:
    return user.id in (registration.attendee_id, registration.order.buyer_id)


def organises(user: User, event_id: int) -> bool:
    """A coordinator, or an organiser of the event."""
    if user.has_role(Role.COORDINATOR):
        return True
    return is_organiser(user.id, event_id)


@policy("payment.pay")
def _may_pay(user: User, registration: Registration) -> bool:
    return _is_payer(user, registration)


@policy("payment.view")
def _may_view(user: User, payment: Payment) -> bool:
    return _is_payer(user, payment.registration) or organises(user, payment.registration.event_id)


@policy("payment.record")
def _may_record(user: User, payment: Payment) -> bool:
    return organises(user, payment.registration.event_id)


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
    if registration.event.status == EventStatus.CANCELLED:
        raise PaymentError(_l("This event is cancelled: nothing can be paid for it."))
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
        configure_stripe()
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
        configure_stripe()
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


def pending_transfer_payload(registration: Registration) -> str | None:
    """The VietQR payload of the registration's open bank transfer (the one the payment page shows), or None
    when the registration does not wait for a transfer. Reads only: the payment page creates the payment."""
    if registration.status != RegistrationStatus.AWAITING_PAYMENT or registration.event.status == EventStatus.CANCELLED:
        return None
    payment = db.session.scalar(select(Payment).where(Payment.idempotency_key == _attempt_key(registration)))
    if (payment is None or payment.provider != PaymentProvider.BANK_TRANSFER
            or payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED)):
        return None
    return _bank_payload(registration, payment)


def payment_for_registration(registration: Registration) -> Payment | None:
    """The latest payment of a registration (for the status page)."""
    return db.session.scalar(
        select(Payment).where(Payment.registration_id == registration.id).order_by(Payment.id.desc()).limit(1)
    )


# --- state changes --------------------------------------------------------


@registration_cancelled.connect
def _on_registration_cancelled(registration: Registration, by_organiser: bool = False, **_) -> None:
    refund_registration(registration, by_organiser=by_organiser)


def record_transfer(payment_id: int, recorded_by: User) -> Payment:
    """A coordinator or the event's organiser saw the bank transfer arrive. Commits."""
    try:
        payment = locked_payment(id=payment_id)
        if payment is None or payment.provider != PaymentProvider.BANK_TRANSFER:
            raise PaymentError(_l("This is not a bank transfer payment."))
        if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            raise PaymentError(_l("This transfer is already recorded."))
        payment.recorded_by_id = recorded_by.id
        settle(payment, utcnow())
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return payment


TRANSFER_SORTS = {"oldest": (Payment.created_at, Payment.id), "newest": (Payment.created_at.desc(), Payment.id.desc())}
# The facets of the transfers page: waiting for the transfer, to pay back, paid back.
TRANSFER_STATUSES = frozenset({PaymentStatus.PENDING, PaymentStatus.REFUND_DUE, PaymentStatus.REFUNDED})


def transfers_to_check(user: User, query: ListQuery) -> Page:
    """Bank transfers for a coordinator or organiser: pending, to pay back, or paid back (with who paid them
    back, when and the bank reference). Three queries whatever the number of rows."""
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
            refund_options(),
        )
        .order_by(*TRANSFER_SORTS[query.sort])
    )
    if not (user.is_admin or user.has_role(Role.COORDINATOR)):
        statement = statement.where(Registration.event_id.in_(organised_event_ids(user.id)))
    return paginate(db.session, statement, query)


def may_check_transfers(user: User) -> bool:
    if user.is_admin or user.has_role(Role.COORDINATOR):
        return True
    return organises_any(user.id)


# --- abandoned PaymentIntents -------------------------------------------


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
    that is gone. No lock and no transaction is open while Stripe answers; the payment is locked only to record
    the outcome. A PaymentIntent that was paid meanwhile cannot be cancelled: the webhook settles it (and
    records its refund). Safe to run from several workers at once (one idempotency key per payment).
    Returns how many were cancelled."""
    if not stripe_enabled():
        return 0
    configure_stripe()
    cancelled = 0
    for payment_id in abandoned_intent_payment_ids():
        intent_id = db.session.scalar(select(Payment.stripe_payment_intent_id).where(Payment.id == payment_id))
        db.session.commit()
        try:
            stripe.PaymentIntent.cancel(intent_id, idempotency_key=f"cancel-payment-{payment_id}")
        except stripe.StripeError as error:
            log.warning("PaymentIntent of payment %s not cancelled: %s", payment_id, error)
            continue
        try:
            payment = locked_payment(id=payment_id)
            if payment is not None and payment.status in (PaymentStatus.PENDING, PaymentStatus.FAILED):
                payment.status = PaymentStatus.CANCELLED
                cancelled += 1
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    return cancelled
