"""Row locks (`SELECT ... FOR UPDATE`) and the test seam of the race tests, in one place.

Every decision taken under a row lock (seats of an event, a call's quota, a ticket's check-in, a payment's
settlement, a receipt number) reads its rows through `lock_row`, `lock` or `for_update`. Two test seams:

- `LOCK_ROWS`: the one switch the race tests' negative controls turn off (through
  `tests.concurrency.without_row_locks`), to show that the test would catch a missing lock.
- named hooks: a module calls `hook("events.seats_counted")` between reading and writing; a race test widens
  that window with `tests.concurrency.at_hook(monkeypatch, name, pause)`. `HOOKS` lists every name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, select

from ecosystem.extensions import db

# Test-only: off in the race tests' negative controls, for every scope or for the scopes named in UNLOCKED.
LOCK_ROWS = True
UNLOCKED: frozenset[str] = frozenset()
SCOPES = frozenset({"clubs.teams", "delegations.quota", "events.events", "events.seats", "events.tickets",
                    "payments.payments", "payments.receipts", "payments.refunds", "payments.refund_rows",
                    "startups.members", "startups.startups"})


def _nothing() -> None:
    return None


# Test-only: the points between a locked read and the write that depends on it (see the module docstring).
HOOKS: dict[str, Callable[[], Any]] = {
    name: _nothing
    for name in (
        "delegations.quota_counted",  # decisions: an allocation's booths and places counted
        "events.seats_counted",  # registration: an event's and a ticket type's seats counted
        "events.ticket_read",  # tickets: a ticket read for check-in
        "payments.payment_locked",  # payments: a payment read under its lock
        "payments.counter_read",  # receipts: the year's receipt counter read
        "payments.refund_selected",  # refunds: a due refund claimed by the worker
    )
}


def hook(name: str) -> None:
    """Call the test hook `name` (nothing outside the race tests)."""
    HOOKS[name]()


def for_update(statement: Select, scope: str, **options) -> Select:
    """`statement` reading rows as they are now, locked until the transaction ends (unless the test seam
    switched the locks of `scope`, one of `SCOPES`, off)."""
    statement = statement.execution_options(populate_existing=True)
    return statement.with_for_update(**options) if LOCK_ROWS and scope not in UNLOCKED else statement


def lock_row(model, row_id: int, scope: str):
    """The row of `model` with id `row_id`, fresh and locked; None when it is gone."""
    return db.session.scalar(for_update(select(model).where(model.id == row_id), scope))


def lock(row, scope: str):
    """`row` read again, fresh and locked; None when it was deleted meanwhile."""
    return lock_row(type(row), row.id, scope)
