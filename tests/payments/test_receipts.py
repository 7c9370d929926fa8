"""Receipt numbers: a gap-free sequence per calendar year in Vietnam time, also under concurrent payments."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from ecosystem.payments import receipts
from ecosystem.payments.models import Payment, PaymentProvider, ReceiptCounter
from ecosystem.payments.services import PaymentError, record_transfer
from tests.concurrency import at_hook, in_threads, without_row_locks
from tests.factories.users import make_user
from tests.payments.conftest import make_awaiting, make_paid_event


def transfer_payments(app, count: int) -> list[int]:
    event_id, ticket_type_id = make_paid_event(app, capacity=count + 5)
    ids = []
    with app.app_context():
        for number in range(count):
            registration_id = make_awaiting(app, event_id, ticket_type_id, make_user(app).id)
            payment = Payment(registration_id=registration_id, provider=PaymentProvider.BANK_TRANSFER,
                              amount_vnd=150_000, idempotency_key=f"receipt-{number}-{registration_id}",
                              transfer_reference=f"REF{registration_id}")
            db.session.add(payment)
            db.session.commit()
            ids.append(payment.id)
    return ids


def test_payments_get_consecutive_numbers_of_the_year(app, stripe_off):
    payment_ids = transfer_payments(app, 3)
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    with app.test_request_context():
        by = db.session.get(User, coordinator.id)
        numbers = [record_transfer(payment_id, by).receipt_number for payment_id in payment_ids]
        year = receipts.receipt_year(db.session.get(Payment, payment_ids[0]).paid_at)
        assert numbers == [f"BL{year}-000001", f"BL{year}-000002", f"BL{year}-000003"]
        # Recording the same transfer again is refused and uses no number.
        with pytest.raises(PaymentError):
            record_transfer(payment_ids[0], by)
        assert db.session.get(ReceiptCounter, year).last_number == 3


def test_the_year_is_the_vietnamese_calendar_year(app):
    with app.app_context():
        # 17:30 UTC on 31 December is 00:30 on 1 January in Hà Nội.
        assert receipts.next_receipt_number(datetime(2026, 12, 31, 17, 30, tzinfo=UTC)) == "BL2027-000001"
        assert receipts.next_receipt_number(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == "BL2026-000001"
        assert receipts.next_receipt_number(datetime(2027, 3, 1, tzinfo=UTC)) == "BL2027-000002"


def race_for_numbers(app, count: int) -> tuple[list[str], list[Exception]]:
    with app.app_context():  # the year's counter exists: the race is on the increment
        db.session.add(ReceiptCounter(year=2030, last_number=0))
        db.session.commit()
    barrier = threading.Barrier(count)

    def take() -> str:
        barrier.wait(30)
        number = receipts.next_receipt_number(datetime(2030, 6, 1, tzinfo=UTC))
        db.session.commit()
        return number

    return in_threads(app, take, count)


@pytest.mark.postgresql
@pytest.mark.committing
def test_concurrent_payments_get_distinct_consecutive_numbers(app):
    numbers, errors = race_for_numbers(app, 12)
    assert errors == []
    assert sorted(numbers) == [f"BL2030-{n:06d}" for n in range(1, 13)]
    with app.app_context():
        assert db.session.scalar(select(ReceiptCounter.last_number).where(ReceiptCounter.year == 2030)) == 12


@pytest.mark.postgresql
@pytest.mark.committing
def test_negative_control_without_the_row_lock_numbers_repeat(app, monkeypatch):
    """The same race with the lock switched off hands out a number twice: the test above would catch it."""
    without_row_locks(monkeypatch, "payments.receipts")
    pause = threading.Barrier(6)
    at_hook(monkeypatch, "payments.counter_read", lambda: pause.wait(30))
    numbers, errors = race_for_numbers(app, 6)
    assert errors == []
    assert len(set(numbers)) < len(numbers)
