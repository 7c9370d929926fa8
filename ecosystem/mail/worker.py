"""The outbox worker loop: a `flask outbox run` process, or a thread in the web process."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable

from flask import Flask

from ecosystem.extensions import db
from ecosystem.mail.services import deliver_due

log = logging.getLogger(__name__)

_inprocess_started = threading.Lock()
_inprocess_thread: threading.Thread | None = None

# Jobs other domains run from the worker loop (reminders, expired holds): (function, every seconds).
PERIODIC_TASKS: list[tuple[Callable[[], object], float]] = []


def register_periodic_task(task: Callable[[], object], every_seconds: float) -> None:
    PERIODIC_TASKS.append((task, every_seconds))


def run_due_periodic_tasks(app: Flask, last_run: dict) -> None:
    now = time.monotonic()
    for task, every in PERIODIC_TASKS:
        if now - last_run.get(task, -every) >= every:
            last_run[task] = now
            with app.app_context():
                try:
                    task()
                except Exception:
                    log.exception("Periodic task %s failed; it runs again next time", task.__name__)
                finally:
                    db.session.remove()


def drain_once(app: Flask) -> int:
    with app.app_context():
        try:
            return deliver_due().handled
        finally:
            db.session.remove()


def run_forever(app: Flask, stop: threading.Event | None = None) -> None:
    # Flask-Mail opens SMTP connections without a timeout; a stuck server must not stall the worker.
    socket.setdefaulttimeout(app.config["MAIL_TIMEOUT"])
    stop = stop or threading.Event()
    poll = app.config["OUTBOX_POLL_SECONDS"]
    log.info("Outbox worker started (poll every %ss)", poll)
    last_run: dict = {}
    while not stop.is_set():
        run_due_periodic_tasks(app, last_run)
        try:
            handled = drain_once(app)
        except Exception:
            log.exception("Outbox worker pass failed; retrying after the poll interval")
            handled = 0
        if not handled:
            stop.wait(poll)


def start_inprocess_worker(app: Flask) -> None:
    """Start one daemon thread per process (embedded default, OUTBOX_MODE=inprocess)."""
    global _inprocess_thread
    with _inprocess_started:
        if _inprocess_thread is not None:
            return
        _inprocess_thread = threading.Thread(
            target=run_forever, args=(app,), name="outbox-worker", daemon=True
        )
        _inprocess_thread.start()
