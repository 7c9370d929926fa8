"""The same Stripe event delivered twice at once: one confirmation, one e-mail (PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest

from ecosystem.core import locks
from ecosystem.events.models import Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.mail.models import OutboxMessage
from ecosystem.payments.models import Payment, PaymentProvider, PaymentStatus, StripeEvent
from tests.concurrency import at_hook
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


def _race_two_deliveries(app, intent_id: str, event_id: str) -> tuple[list[tuple[int, str]], int, int]:
    """Deliver one event twice at the same moment; (answers, receipt numbers used, registration id)."""
    from ecosystem.payments.models import ReceiptCounter
    from ecosystem.payments.receipts import receipt_year
    from ecosystem.timeutil import utcnow

    user = make_user(app)
    event, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event, ticket_type_id, user.id)
    year = receipt_year(utcnow())
    with app.app_context():
        db.session.add(Payment(registration_id=registration_id, provider=PaymentProvider.STRIPE, amount_vnd=150_000,
                               idempotency_key=f"race-{intent_id}", stripe_payment_intent_id=intent_id))
        db.session.commit()
        counter = db.session.get(ReceiptCounter, year)
        numbers_before = counter.last_number if counter else 0
    body, header = signed(stripe_event(event_id, "payment_intent.succeeded",
                                       {"id": intent_id, "object": "payment_intent", "amount": 150_000,
                                        "amount_received": 150_000, "currency": "vnd"}))
    barrier = threading.Barrier(2)
    answers: list[tuple[int, str]] = []

    def deliver():
        client = app.test_client()
        barrier.wait()
        response = client.post("/payments/stripe/webhook", data=body,
                               headers={"Stripe-Signature": header, "Content-Type": "application/json"})
        answers.append((response.status_code, (response.json or {}).get("received")))

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with app.app_context():
        assert db.session.get(Registration, registration_id).status == RegistrationStatus.CONFIRMED
        numbers_used = db.session.get(ReceiptCounter, year).last_number - numbers_before
    return sorted(answers), numbers_used, registration_id


@pytest.mark.postgresql
@pytest.mark.committing
def test_two_deliveries_of_one_event_at_once_apply_it_once_with_a_negative_control(app, stripe_off, monkeypatch):
    """Both protections (the event id recorded first, the payment's row lock) hold each on its own; without
    both, the second delivery settles the payment again: two "applied" answers and a receipt number burnt
    (the yearly sequence must have no gap)."""
    from ecosystem.payments import webhooks

    # Both deliveries read the payment before either settles it, when nothing keeps them apart.
    at_hook(monkeypatch, "payments.payment_locked", lambda: time.sleep(0.3))
    cases = {  # (record the event id first, lock the rows) → what two simultaneous deliveries give
        (True, True): ([(200, "applied"), (200, "duplicate")], 1),
        (True, False): ([(200, "applied"), (200, "duplicate")], 1),
        (False, True): ([(200, "applied"), (200, "ignored")], 1),
        (False, False): ([(200, "applied"), (200, "applied")], 2),  # negative control: the race bites
    }
    for number, ((deduplicate, lock), expected) in enumerate(cases.items()):
        monkeypatch.setattr(webhooks, "DEDUPLICATE", deduplicate)
        monkeypatch.setattr(locks, "UNLOCKED", frozenset() if lock else frozenset({"payments.payments"}))
        answers, numbers_used, _ = _race_two_deliveries(app, f"pi_race_{number}", f"evt_race_{number}")
        assert (answers, numbers_used) == expected, (deduplicate, lock)
