"""The same Stripe event delivered twice at once: one confirmation, one e-mail (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from ecosystem.events.models import Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.mail.models import OutboxMessage
from ecosystem.payments.models import Payment, PaymentProvider, PaymentStatus, StripeEvent
from tests.factories.users import make_user
from tests.payments.conftest import make_awaiting, make_paid_event, signed, stripe_event


@pytest.mark.postgresql
@pytest.mark.committing
def test_concurrent_duplicate_deliveries_confirm_once(app, stripe_off):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    with app.app_context():
        db.session.add(Payment(registration_id=registration_id, provider=PaymentProvider.STRIPE, amount_vnd=150_000,
                               idempotency_key="race", stripe_payment_intent_id="pi_race"))
        db.session.commit()
        mails_before = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage))
    body, header = signed(stripe_event("evt_race", "payment_intent.succeeded",
                                       {"id": "pi_race", "object": "payment_intent", "amount": 150_000,
                                        "amount_received": 150_000, "currency": "vnd"}))
    barrier = threading.Barrier(8)
    answers: list[tuple[int, str]] = []

    def deliver():
        client = app.test_client()
        barrier.wait()
        response = client.post("/payments/stripe/webhook", data=body,
                               headers={"Stripe-Signature": header, "Content-Type": "application/json"})
        answers.append((response.status_code, response.json["received"]))

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [(200, "applied")] + [(200, "duplicate")] * 7
    with app.app_context():
        assert db.session.get(Registration, registration_id).status == RegistrationStatus.CONFIRMED
        assert db.session.scalars(db.select(Payment)).one().status == PaymentStatus.SUCCEEDED
        assert db.session.scalar(db.select(db.func.count()).select_from(StripeEvent)) == 1
        mails = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage))
        assert mails - mails_before == 1
