"""Scheduled jobs: work a domain wants done every few minutes (reminders, expired holds, due refunds).

A domain adds its jobs from its `init_app` (`schedule(app, job, every_seconds)`); the worker loop of the
outbox (`flask outbox run`, or the thread in the web process) runs the due ones on each pass
(`run_due_jobs`). A job runs in an application context of its own and its session is removed afterwards;
a failing job is logged and runs again at its next turn. Every job must be safe to run twice or from several
machines at once: several workers may run, and cron may run the same work through the domain's command.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from ecosystem.extensions import db

log = logging.getLogger(__name__)

EXTENSION_KEY = "ecosystem.jobs"


@dataclass(frozen=True)
class Job:
    run: Callable[[], object]
    every_seconds: float

    @property
    def name(self) -> str:
        return f"{self.run.__module__}.{self.run.__qualname__}"


def schedule(app: Flask, job: Callable[[], object], every_seconds: float) -> None:
    """Run `job` every `every_seconds` from the worker loop of this app."""
    app.extensions.setdefault(EXTENSION_KEY, []).append(Job(job, every_seconds))


def scheduled_jobs(app: Flask) -> list[Job]:
    return list(app.extensions.get(EXTENSION_KEY, []))


def run_due_jobs(app: Flask, last_run: dict) -> None:
    """Run each job whose period has passed since its last run (`last_run` is the caller's memory: a job
    never run yet is due at once)."""
    now = time.monotonic()
    for job in scheduled_jobs(app):
        if now - last_run.get(job, -job.every_seconds) >= job.every_seconds:
            last_run[job] = now
            with app.app_context():
                try:
                    job.run()
                except Exception:
                    log.exception("Scheduled job %s failed; it runs again next time", job.name)
                finally:
                    db.session.remove()
