"""Helpers of the race tests: run work in threads at once, widen a race window, switch the row locks off.

- `race(*targets)`: start one thread per callable, join them all; fails the test if a thread is still alive
  after `timeout` (a deadlock or a lock never released would otherwise pass silently).
- `in_threads(app, work, count)`: `work()` in `count` threads, each with its own request context, session and
  connection; returns (results, errors).
- `at_hook(monkeypatch, name, function)`: run `function` at the named point of `ecosystem.core.locks.HOOKS`.
- `without_row_locks(monkeypatch)`: the negative control, every `SELECT ... FOR UPDATE` of the domains off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ecosystem.core import locks
from ecosystem.extensions import db


def race(*targets: Callable[[], object], timeout: float = 30) -> None:
    """Run every target in its own thread at once and wait for all of them; fail if one is still running."""
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    alive = [thread.name for thread in threads if thread.is_alive()]
    assert not alive, f"threads still running after {timeout} s (a deadlock or a lock never released?): {alive}"


def in_threads(app, work: Callable[[], object], count: int, timeout: float = 30) -> tuple[list, list[Exception]]:
    """`work()` in `count` threads inside request contexts; returns (results, errors), errors for the caller
    to assert on."""
    results: list = []
    errors: list[Exception] = []

    def run() -> None:
        try:
            with app.test_request_context():
                results.append(work())
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - returned to the caller
            errors.append(error)

    race(*[run] * count, timeout=timeout)
    return results, errors


def at_hook(monkeypatch, name: str, function: Callable[[], object]) -> None:
    """Call `function` at the named point between a locked read and its write (see `core.locks.HOOKS`)."""
    assert name in locks.HOOKS, f"no such hook: {name}"
    monkeypatch.setitem(locks.HOOKS, name, function)


def without_row_locks(monkeypatch, *scopes: str) -> None:
    """The negative control: rows of the named scopes (of `core.locks.SCOPES`; all without a name) are read
    without `FOR UPDATE`."""
    if not scopes:
        monkeypatch.setattr(locks, "LOCK_ROWS", False)
        return
    assert set(scopes) <= locks.SCOPES, f"no such lock scope: {set(scopes) - locks.SCOPES}"
    monkeypatch.setattr(locks, "UNLOCKED", frozenset(scopes))
