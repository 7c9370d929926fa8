"""The outbox worker loop: a `flask outbox run` process, or a thread in the web process.

Each pass first runs the scheduled jobs that are due (`ecosystem.core.jobs`), then delivers due mail.
"""

from __future__ import annotations

import logging
import socket
import threading

from flask import Flask

from ecosystem.core.jobs import run_due_jobs
from ecosystem.extensions import db
from ecosystem.mail.services import deliver_due

log = logging.getLogger(__name__)

_inprocess_started = threading.Lock()
_inprocess_thread: threading.Thread | None = None


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
        run_due_jobs(app, last_run)  # the scheduled jobs of every domain (core/jobs.py)
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
