"""What the payment modules share: the Stripe configuration, the payment error and the payment row lock."""

from __future__ import annotations

from urllib.parse import urlsplit

import stripe
from flask import current_app
from sqlalchemy import select

from ecosystem.core.locks import for_update, hook
from ecosystem.events.models import Event, Registration
from ecosystem.events.registration_checks import RegistrationError
from ecosystem.extensions import db
from ecosystem.payments.models import Payment

DEFAULT_STRIPE_JS_URL = "https://js.stripe.com/v3/"
# Stripe.js from js.stripe.com talks to these origins besides its own (frames and API calls).
REAL_STRIPE_ORIGINS = ("https://js.stripe.com", "https://api.stripe.com", "https://hooks.stripe.com")


class PaymentError(RegistrationError):
    """A payment cannot be made or recorded; `message` says why (translated)."""


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


def configure_stripe() -> None:
    stripe.api_key = current_app.config.get("STRIPE_SECRET_KEY")
    stripe.api_base = current_app.config.get("STRIPE_API_BASE") or "https://api.stripe.com"


def _criteria(criteria: dict) -> list:
    return [getattr(Payment, name) == value for name, value in criteria.items()]


def locked_payment(**criteria) -> Payment | None:
    """The payment matching `criteria`, under its row lock, read afresh.

    The event's row is locked first: every cancellation locks the event and then its payments, so taking
    them in the same order here cannot deadlock against it. The criteria are checked again under the lock.
    """
    found = db.session.execute(
        select(Payment.id, Registration.event_id)
        .join(Registration, Registration.id == Payment.registration_id)
        .where(*_criteria(criteria))
        .order_by(Payment.id)
        .limit(1)
    ).first()
    if found is None:
        return None
    payment_id, event_id = found
    event_statement = select(Event.id).where(Event.id == event_id)
    db.session.execute(for_update(event_statement, "payments.payments"))
    payment = db.session.scalar(for_update(select(Payment).where(Payment.id == payment_id, *_criteria(criteria)),
                                                  "payments.payments"))
    if payment is not None:
        hook("payments.payment_locked")
    return payment


def locked_payments_of(registration: Registration, status: str) -> list[Payment]:
    """The registration's payments in `status`, locked (the caller holds the event's row lock already)."""
    statement = (select(Payment).where(Payment.registration_id == registration.id, Payment.status == status)
                 .order_by(Payment.id))
    return list(db.session.scalars(for_update(statement, "payments.payments")))
