"""Stripe webhooks check what they apply (issue 9, item 4): amount and currency, partial against full refunds,
and a failure while applying an event is a 500 that Stripe delivers again, not a 200 "duplicate"."""

from __future__ import annotations

from ecosystem.events.models import Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.payments.models import Payment, PaymentProvider, PaymentStatus, ReceiptCounter, StripeEvent
from ecosystem.payments.receipts import receipt_year
from ecosystem.timeutil import utcnow
from tests.factories.users import make_user
from tests.payments.conftest import make_awaiting, make_paid_event, post_webhook, signed, stripe_event

PRICE = 150_000


def _card_payment(app, intent_id: str) -> tuple[int, int]:
    """A registration awaiting payment with its pending card payment; (registration id, payment id)."""
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app, price=PRICE)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    with app.app_context():
        payment = Payment(registration_id=registration_id, provider=PaymentProvider.STRIPE, amount_vnd=PRICE,
                          idempotency_key=f"key-{intent_id}", stripe_payment_intent_id=intent_id)
        db.session.add(payment)
        db.session.commit()
        return registration_id, payment.id


def _intent(intent_id: str, amount: int = PRICE, currency: str = "vnd") -> dict:
    return {"id": intent_id, "object": "payment_intent", "amount": amount, "amount_received": amount,
            "currency": currency, "status": "succeeded"}


def _charge(intent_id: str, refunded: int, currency: str = "vnd") -> dict:
    return {"id": f"ch_{intent_id}", "object": "charge", "payment_intent": intent_id, "amount": PRICE,
            "amount_refunded": refunded, "currency": currency, "refunded": refunded >= PRICE}


def _deliver(client, event_id: str, event_type: str, obj: dict):
    return post_webhook(client, *signed(stripe_event(event_id, event_type, obj)))


def _state(app, registration_id: int, payment_id: int) -> tuple[str, str]:
    with app.app_context():
        return (db.session.get(Registration, registration_id).status, db.session.get(Payment, payment_id).status)


def test_succeeded_with_another_amount_or_currency_settles_nothing(app, client, stripe_off):
    registration_id, payment_id = _card_payment(app, "pi_amount")
    for number, (amount, currency) in enumerate([(1_000, "vnd"), (PRICE, "usd"), (PRICE + 1, "vnd")]):
        response = _deliver(client, f"evt_amount_{number}", "payment_intent.succeeded",
                            _intent("pi_amount", amount, currency))
        assert response.status_code == 200 and response.json == {"received": "ignored"}
        assert _state(app, registration_id, payment_id) == (RegistrationStatus.AWAITING_PAYMENT,
                                                            PaymentStatus.PENDING)
    response = _deliver(client, "evt_amount_ok", "payment_intent.succeeded", _intent("pi_amount"))
    assert response.json == {"received": "applied"}
    assert _state(app, registration_id, payment_id) == (RegistrationStatus.CONFIRMED, PaymentStatus.SUCCEEDED)


def test_a_partial_refund_keeps_the_ticket_and_a_full_refund_cancels_it(app, client, stripe_off):
    registration_id, payment_id = _card_payment(app, "pi_partial")
    assert _deliver(client, "evt_paid", "payment_intent.succeeded", _intent("pi_partial")).json["received"] == \
        "applied"
    partial = _deliver(client, "evt_partial", "charge.refunded", _charge("pi_partial", 50_000))
    assert partial.status_code == 200 and partial.json == {"received": "applied"}
    assert _state(app, registration_id, payment_id) == (RegistrationStatus.CONFIRMED, PaymentStatus.SUCCEEDED)
    with app.app_context():
        assert db.session.get(Payment, payment_id).amount_refunded_vnd == 50_000
    other_currency = _deliver(client, "evt_usd", "charge.refunded", _charge("pi_partial", PRICE, "usd"))
    assert other_currency.json == {"received": "ignored"}
    assert _state(app, registration_id, payment_id) == (RegistrationStatus.CONFIRMED, PaymentStatus.SUCCEEDED)
    full = _deliver(client, "evt_full", "charge.refunded", _charge("pi_partial", PRICE))
    assert full.status_code == 200 and full.json == {"received": "applied"}
    assert _state(app, registration_id, payment_id) == (RegistrationStatus.CANCELLED, PaymentStatus.REFUNDED)
    with app.app_context():
        payment = db.session.get(Payment, payment_id)
        assert payment.amount_refunded_vnd == PRICE and payment.refunded_at
        assert payment.refunds == []  # refunded in Stripe already: nothing more to give back


def test_a_constraint_broken_while_applying_an_event_answers_500_and_keeps_nothing(app, client, stripe_off):
    registration_id, payment_id = _card_payment(app, "pi_clash")
    _, other_payment_id = _card_payment(app, "pi_clash_other")
    year = receipt_year(utcnow())
    with app.app_context():
        # The year's counter lags behind a number already given: settling this payment would repeat it.
        counter = db.session.get(ReceiptCounter, year) or ReceiptCounter(year=year)
        counter.last_number = 0
        db.session.add(counter)
        db.session.get(Payment, other_payment_id).receipt_number = f"BL{year}-000001"
        db.session.commit()
    response = _deliver(client, "evt_clash", "payment_intent.succeeded", _intent("pi_clash"))
    assert response.status_code == 500
    assert _state(app, registration_id, payment_id) == (RegistrationStatus.AWAITING_PAYMENT, PaymentStatus.PENDING)
    with app.app_context():
        assert db.session.get(StripeEvent, "evt_clash") is None  # not kept: the next delivery tries again
        db.session.get(ReceiptCounter, year).last_number = 1  # the counter repaired
        db.session.commit()
    again = _deliver(client, "evt_clash", "payment_intent.succeeded", _intent("pi_clash"))
    assert again.status_code == 200 and again.json == {"received": "applied"}
    assert _state(app, registration_id, payment_id) == (RegistrationStatus.CONFIRMED, PaymentStatus.SUCCEEDED)
