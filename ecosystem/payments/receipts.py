"""Receipt numbers: one gap-free sequence per calendar year in Vietnam time (BL2026-000001, BL2026-000002 ...).

Accounting wants receipts numbered without gaps or repeats within a year. The year's counter row is
taken with `SELECT ... FOR UPDATE`, so two payments settled at the same moment get consecutive
numbers; the number is part of the payment's own transaction, so a rolled-back payment uses none.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ecosystem.core.localtime import LOCAL_ZONE
from ecosystem.core.locks import for_update, hook
from ecosystem.extensions import db
from ecosystem.payments.models import ReceiptCounter


def receipt_year(paid_at: datetime) -> int:
    return paid_at.astimezone(LOCAL_ZONE).year


def _counter(year: int) -> ReceiptCounter:
    statement = for_update(select(ReceiptCounter).where(ReceiptCounter.year == year), "payments.receipts")
    counter = db.session.scalar(statement)
    if counter is None:  # the year's first receipt
        try:
            with db.session.begin_nested():
                db.session.add(ReceiptCounter(year=year, last_number=0))
        except IntegrityError:
            pass  # another payment created it first; it is ours to lock now
        counter = db.session.scalar(statement)
    return counter


def next_receipt_number(paid_at: datetime) -> str:
    """The next number of `paid_at`'s year. Holds the year's counter until the caller commits."""
    year = receipt_year(paid_at)
    counter = _counter(year)
    number = counter.last_number + 1
    hook("payments.counter_read")
    counter.last_number = number
    db.session.flush()
    return f"BL{year}-{number:06d}"
