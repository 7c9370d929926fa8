"""`flask events ...` commands: reminders and expired payment holds.

The outbox worker (`flask outbox run`, or the in-process worker) runs both every
10 minutes; cron may run them too: both are safe to run twice or from several
machines at once.
"""

from __future__ import annotations

import click
from flask import Blueprint

from ecosystem.core.urls import link_context
from ecosystem.mail.worker import register_periodic_task

bp = Blueprint("events_cli", __name__, cli_group="events")
PERIOD_SECONDS = 600


def run_periodic_tasks() -> tuple[int, int]:
    """Send due reminders and release expired holds; returns (reminders queued, holds expired)."""
    from ecosystem.events.registration import expire_holds
    from ecosystem.events.reminders import send_reminders

    with link_context():
        return send_reminders(), expire_holds()


register_periodic_task(run_periodic_tasks, PERIOD_SECONDS)


@bp.cli.command("remind")
def remind_command() -> None:
    """Queue reminder e-mails for events starting within 24 hours (once per person)."""
    from ecosystem.events.reminders import send_reminders

    with link_context():
        click.echo(f"reminders queued: {send_reminders()}")


@bp.cli.command("expire-holds")
def expire_holds_command() -> None:
    """Cancel unpaid seat holds that ran out and pass each seat to the next person in line."""
    from ecosystem.events.registration import expire_holds

    with link_context():
        click.echo(f"holds expired: {expire_holds()}")
