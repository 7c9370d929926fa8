"""Card payments against a real localstripe server: intents, webhooks, refunds, late payments."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import stripe

from ecosystem.auth.models import Role
from ecosystem.events.models import Registration, RegistrationStatus
from ecosystem.events.registration import cancel_registration
from ecosystem.extensions import db
from ecosystem.payments.models import Payment, PaymentProvider, PaymentStatus, StripeEvent
from ecosystem.payments.refunds import carry_out_due_refunds
from ecosystem.timeutil import utcnow
from tests.factories.users import make_user
from tests.payments.conftest import make_awaiting, make_paid_event, post_webhook, register_webhook, signed, stripe_event


def _pay_page(client, auth, user, registration_id):
    auth.login(user.email, user.password)
    return client.get(f"/payments/registrations/{registration_id}/pay")


def _payment(app, registration_id) -> Payment:
    with app.app_context():
        payment = db.session.scalars(db.select(Payment).filter_by(registration_id=registration_id)).one()
        db.session.expunge(payment)
        return payment


def _confirm_card(app, intent_id: str, card: str = "pm_card_visa"):
    with app.app_context():
        stripe.api_key = app.config["STRIPE_SECRET_KEY"]
        stripe.api_base = app.config["STRIPE_API_BASE"]
        stripe.PaymentIntent.modify(intent_id, payment_method=card)
        return stripe.PaymentIntent.confirm(intent_id)


def _intent(app, intent_id: str):
    with app.app_context():
        stripe.api_key = app.config["STRIPE_SECRET_KEY"]
        stripe.api_base = app.config["STRIPE_API_BASE"]
        return stripe.PaymentIntent.retrieve(intent_id)


def _deliver(client, event_type: str, obj, event_id: str | None = None):
    payload = obj if isinstance(obj, dict) else obj.to_dict()
    body, header = signed(stripe_event(event_id or f"evt_{time.time_ns()}", event_type, payload))
    return post_webhook(client, body, header)


def test_pay_page_creates_one_intent_in_vnd_and_reuses_it(app, client, auth, stripe_on):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app, price=250_000)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    page = _pay_page(client, auth, user, registration_id)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"{stripe_on}/js.stripe.com/v3/" in html
    assert "js/pay.js" in html
    assert stripe_on in page.headers["Content-Security-Policy"].split("script-src", 1)[1].split(";")[0]
    payment = _payment(app, registration_id)
    assert payment.provider == PaymentProvider.STRIPE and payment.status == PaymentStatus.PENDING
    intent = _intent(app, payment.stripe_payment_intent_id)
    assert intent.amount == 250_000 and intent.currency == "vnd"
    assert intent.metadata["registration_id"] == str(registration_id)
    assert intent.client_secret in html
    again = client.get(f"/payments/registrations/{registration_id}/pay")
    assert again.status_code == 200
    assert _payment(app, registration_id).stripe_payment_intent_id == payment.stripe_payment_intent_id


def test_succeeded_webhook_confirms_and_issues_receipt(app, client, auth, stripe_on, mailbox, deliver_mail):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    _pay_page(client, auth, user, registration_id)
    payment = _payment(app, registration_id)
    intent = _confirm_card(app, payment.stripe_payment_intent_id)
    assert intent.status == "succeeded"
    response = _deliver(client, "payment_intent.succeeded", intent, "evt_once")
    assert response.status_code == 200 and response.json == {"received": "applied"}
    duplicate = _deliver(client, "payment_intent.succeeded", intent, "evt_once")
    assert duplicate.status_code == 200 and duplicate.json == {"received": "duplicate"}
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.status == RegistrationStatus.CONFIRMED
        paid = db.session.get(Payment, payment.id)
        assert paid.status == PaymentStatus.SUCCEEDED and paid.paid_at and paid.receipt_number
        assert db.session.scalar(db.select(db.func.count()).select_from(StripeEvent)) == 1
    receipt = client.get(f"/payments/{payment.id}/receipt")
    assert receipt.status_code == 200
    assert paid.receipt_number in receipt.get_data(as_text=True)
    status = client.get(f"/payments/registrations/{registration_id}/status")
    assert "/tickets/" in status.get_data(as_text=True)


def test_failed_then_refund_and_out_of_order_events(app, client, auth, stripe_on):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    _pay_page(client, auth, user, registration_id)
    payment = _payment(app, registration_id)
    obj = {"id": payment.stripe_payment_intent_id, "object": "payment_intent", "amount": 150_000,
           "amount_received": 150_000, "currency": "vnd"}
    assert _deliver(client, "payment_intent.payment_failed", obj).status_code == 200
    with app.app_context():
        assert db.session.get(Payment, payment.id).status == PaymentStatus.FAILED
        assert db.session.get(Registration, registration_id).status == RegistrationStatus.AWAITING_PAYMENT
    charge = {"id": "ch_x", "object": "charge", "payment_intent": payment.stripe_payment_intent_id,
              "amount": 150_000, "amount_refunded": 150_000, "currency": "vnd"}
    assert _deliver(client, "charge.refunded", charge).status_code == 200
    # A late "succeeded" after the refund: the payment stays refunded, no ticket issued.
    assert _deliver(client, "payment_intent.succeeded", obj).json == {"received": "ignored"}
    with app.app_context():
        assert db.session.get(Payment, payment.id).status == PaymentStatus.REFUNDED
        assert db.session.get(Registration, registration_id).status == RegistrationStatus.AWAITING_PAYMENT


def test_cancel_before_deadline_refunds_through_stripe(app, client, auth, stripe_on):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app, refund_deadline=utcnow() + timedelta(days=5))
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    _pay_page(client, auth, user, registration_id)
    payment = _payment(app, registration_id)
    _deliver(client, "payment_intent.succeeded", _confirm_card(app, payment.stripe_payment_intent_id))
    with app.app_context():
        cancel_registration(db.session.get(Registration, registration_id))
        # Recorded as due in the cancelling transaction; the worker makes it through Stripe.
        assert db.session.get(Payment, payment.id).status == PaymentStatus.REFUND_DUE
        assert carry_out_due_refunds().succeeded == 1
        refunded = db.session.get(Payment, payment.id)
        assert refunded.status == PaymentStatus.REFUNDED and refunded.stripe_refund_id.startswith("re_")
        assert refunded.amount_refunded_vnd == refunded.amount_vnd


def test_cancel_after_deadline_keeps_the_money(app, client, auth, stripe_on):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app, refund_deadline=utcnow() + timedelta(days=5))
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    _pay_page(client, auth, user, registration_id)
    payment = _payment(app, registration_id)
    _deliver(client, "payment_intent.succeeded", _confirm_card(app, payment.stripe_payment_intent_id))
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        registration.event.refund_deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
        cancel_registration(registration)
        assert db.session.get(Payment, payment.id).status == PaymentStatus.SUCCEEDED


def test_late_payment_after_the_seat_went_to_someone_else_is_refunded(app, client, auth, stripe_on):
    first, second = make_user(app), make_user(app)
    event_id, ticket_type_id = make_paid_event(app, capacity=1)
    first_registration = make_awaiting(app, event_id, ticket_type_id, first.id)
    _pay_page(client, auth, first, first_registration)
    payment = _payment(app, first_registration)
    with app.app_context():
        from ecosystem.events.registration import expire_holds

        expire_holds(utcnow() + timedelta(hours=1))
    second_registration = make_awaiting(app, event_id, ticket_type_id, second.id)
    intent = _confirm_card(app, payment.stripe_payment_intent_id)
    assert _deliver(client, "payment_intent.succeeded", intent).status_code == 200
    with app.app_context():
        assert db.session.get(Payment, payment.id).status == PaymentStatus.REFUND_DUE
        assert carry_out_due_refunds().succeeded == 1
        late = db.session.get(Payment, payment.id)
        assert late.status == PaymentStatus.REFUNDED and late.stripe_refund_id
        assert db.session.get(Registration, first_registration).status == RegistrationStatus.CANCELLED
        assert db.session.get(Registration, second_registration).status == RegistrationStatus.AWAITING_PAYMENT
        seats = db.session.scalar(db.select(db.func.count()).select_from(Registration).where(
            Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED))
        assert seats == 0


def test_another_user_cannot_open_the_payment_page_or_receipt(app, client, auth, stripe_on):
    owner, other = make_user(app), make_user(app)
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, owner.id)
    _pay_page(client, auth, owner, registration_id)
    payment = _payment(app, registration_id)
    _deliver(client, "payment_intent.succeeded", _confirm_card(app, payment.stripe_payment_intent_id))
    auth.logout()
    auth.login(other.email, other.password)
    assert client.get(f"/payments/registrations/{registration_id}/pay").status_code == 404
    assert client.get(f"/payments/registrations/{registration_id}/status").status_code == 404
    assert client.get(f"/payments/{payment.id}/receipt").status_code == 403
    assert client.get("/payments/registrations/999999/pay").status_code == 404
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    auth.logout()
    auth.login(coordinator.email, coordinator.password)
    assert client.get(f"/payments/{payment.id}/receipt").status_code == 200


@pytest.mark.committing
def test_webhook_delivered_by_localstripe_itself(app, client, auth, stripe_on, payments_live_server):
    # localstripe sends each event one second after it happens, to the endpoints registered then:
    # let the events of earlier tests go out (to nobody) before registering this server.
    time.sleep(1.5)
    register_webhook(stripe_on, f"{payments_live_server}/payments/stripe/webhook")
    try:
        _pay_through_localstripe(app, client, auth)
    finally:
        register_webhook(stripe_on, "http://127.0.0.1:9/nowhere")


def _pay_through_localstripe(app, client, auth):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    _pay_page(client, auth, user, registration_id)
    payment = _payment(app, registration_id)
    _confirm_card(app, payment.stripe_payment_intent_id)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with app.app_context():
            if db.session.get(Registration, registration_id).status == RegistrationStatus.CONFIRMED:
                break
            db.session.remove()
        time.sleep(0.2)
    with app.app_context():
        assert db.session.get(Registration, registration_id).status == RegistrationStatus.CONFIRMED
        assert db.session.get(Payment, payment.id).status == PaymentStatus.SUCCEEDED
        assert db.session.scalar(db.select(db.func.count()).select_from(StripeEvent)) == 1


def test_a_cancelled_registration_has_its_payment_intent_cancelled(app, client, auth, forms, stripe_on):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    assert _pay_page(client, auth, user, registration_id).status_code == 200
    intent_id = _payment(app, registration_id).stripe_payment_intent_id
    other_id = make_awaiting(app, event_id, ticket_type_id, make_user(app).id)  # still waiting: left alone
    with app.app_context():
        from ecosystem.payments.services import cancel_abandoned_intents

        assert cancel_abandoned_intents() == 0  # nothing cancelled yet
    response = forms.post(f"/events/registrations/{registration_id}/cancel", {"confirm": "1"},
                          form_page="/events/mine")
    assert response.status_code in (302, 303)
    result = app.test_cli_runner().invoke(args=["payments", "cancel-abandoned"])
    assert result.exit_code == 0 and "payment intents cancelled: 1" in result.output
    assert _payment(app, registration_id).status == PaymentStatus.CANCELLED
    assert _intent(app, intent_id).status == "canceled"
    # A card confirmation that comes now is refused by Stripe: nobody pays for the seat that is gone.
    with pytest.raises(stripe.StripeError):
        _confirm_card(app, intent_id)
    with app.app_context():
        assert db.session.get(Registration, other_id).status == RegistrationStatus.AWAITING_PAYMENT
        from ecosystem.payments.services import cancel_abandoned_intents

        assert cancel_abandoned_intents() == 0  # once only


def test_the_canceled_webhook_marks_an_open_payment_cancelled(app, client, auth, stripe_on):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    _pay_page(client, auth, user, registration_id)
    payment = _payment(app, registration_id)
    response = _deliver(client, "payment_intent.canceled", {"id": payment.stripe_payment_intent_id,
                                                             "object": "payment_intent"})
    assert response.status_code == 200 and response.json["received"] == "applied"
    assert _payment(app, registration_id).status == PaymentStatus.CANCELLED
