"""Run the same work from several threads at once, each with its own session and connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from ecosystem.extensions import db


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

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results, errors
