"""Paying for a ticket in a real browser, with localstripe's own Stripe.js and webhooks.

localstripe's fake Stripe.js mounts a card element and implements
`confirmCardPayment` for the card-authentication (3-D Secure) step of a
PaymentIntent that the server side already confirmed; it cannot confirm a fresh
PaymentIntent from the browser as the real Stripe.js does. So the test puts the
PaymentIntent in that state through localstripe's API (a card that requires
authentication), and the member then enters the card in the element, pays, and
completes the authentication in the browser: `pay.js` calls `confirmCardPayment`,
localstripe charges the card and delivers the signed webhook to the live server,
and the status page (reloading itself) shows the confirmed ticket.
"""

from __future__ import annotations

import re

import pytest
import stripe
from playwright.sync_api import Page, expect

from ecosystem.events.models import Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.payments.models import Payment
from tests.factories import make_user
from tests.payments.conftest import (  # noqa: F401 - fixtures
    localstripe,
    make_awaiting,
    make_paid_event,
    register_webhook,
    stripe_on,
)

pytestmark = [pytest.mark.browser, pytest.mark.committing]

AUTHENTICATED_CARD = "4000002760003184"  # localstripe asks for 3-D Secure on this one


def _require_authentication(app, intent_id: str) -> None:
    with app.app_context():
        stripe.api_key = app.config["STRIPE_SECRET_KEY"]
        stripe.api_base = app.config["STRIPE_API_BASE"]
        method = stripe.PaymentMethod.create(
            type="card", card={"number": AUTHENTICATED_CARD, "exp_month": 12, "exp_year": 2030, "cvc": "123"}
        )
        stripe.PaymentIntent.modify(intent_id, payment_method=method.id)
        assert stripe.PaymentIntent.confirm(intent_id).status == "requires_action"


def test_member_pays_with_card_and_lands_confirmed(app, page: Page, live_server, stripe_on):  # noqa: F811
    register_webhook(stripe_on, f"{live_server}/payments/stripe/webhook")
    try:
        user = make_user(app)
        event_id, ticket_type_id = make_paid_event(app, price=350_000)
        registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)

        page.goto("/auth/login")
        page.locator("#email").fill(user.email)
        page.locator("#password").fill(user.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng nhập", exact=True).click()

        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(f"/payments/registrations/{registration_id}/pay")
        expect(page.locator(".payment-amount")).to_contain_text("350.000")
        card = page.locator("#card-element")
        expect(card.locator("input[placeholder=number]")).to_be_visible()
        with app.app_context():
            intent_id = db.session.scalars(
                db.select(Payment.stripe_payment_intent_id).filter_by(registration_id=registration_id)
            ).one()
        _require_authentication(app, intent_id)

        card.locator("input[placeholder=number]").fill("4000002760003184")
        card.locator("input[placeholder=exp_month]").fill("12")
        card.locator("input[placeholder=exp_year]").fill("30")
        card.locator("input[placeholder=cvc]").fill("123")
        card.locator("input[placeholder=postal_code]").fill("24000")
        page.locator("#pay-button").click()
        page.get_by_role("button", name="Complete authentication").click()

        expect(page).to_have_url(re.compile(rf"/payments/registrations/{registration_id}/status$"))
        expect(page.locator(".payment-confirmed")).to_be_visible(timeout=20_000)
        expect(page.locator("a[href^='/tickets/']")).to_be_visible()
        assert not [error for error in errors if "Content Security Policy" in error]
        with app.app_context():
            assert db.session.get(Registration, registration_id).status == RegistrationStatus.CONFIRMED
    finally:
        register_webhook(stripe_on, "http://127.0.0.1:9/nowhere")
