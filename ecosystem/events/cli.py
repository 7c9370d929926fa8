"""`flask events ...` commands: reminders and expired payment holds.

The worker loop runs both every 10 minutes (a scheduled job, `ecosystem.core.jobs`); cron may run
them too: both are safe to run twice or from several machines at once.
"""

from __future__ import annotations

import click
from flask import Blueprint

from ecosystem.core.urls import link_context
from ecosystem.events.registration import expire_holds
from ecosystem.events.reminders import send_reminders

bp = Blueprint("events_cli", __name__, cli_group="events")
PERIOD_SECONDS = 600


def run_periodic_tasks() -> tuple[int, int]:
    """Send due reminders and release expired holds; returns (reminders queued, holds expired)."""
    with link_context():
        return send_reminders(), expire_holds()


@bp.cli.command("remind")
def remind_command() -> None:
    """Queue reminder e-mails for events starting within 24 hours (once per person)."""
    with link_context():
        click.echo(f"reminders queued: {send_reminders()}")


@bp.cli.command("expire-holds")
def expire_holds_command() -> None:
    """Cancel unpaid seat holds that ran out and pass each seat to the next person in line."""
    with link_context():
        click.echo(f"holds expired: {expire_holds()}")
