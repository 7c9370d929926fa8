"""`flask delegations run-tasks`: expired reserve offers, offer reminders and roster-locked e-mails.

The worker loop runs the same tasks every 10 minutes (scheduled jobs, `ecosystem.core.jobs`);
cron may run the command too: every task is safe to run twice or from several machines at once.
"""

from __future__ import annotations

import click
from flask import Blueprint

from ecosystem.core.urls import link_context
from ecosystem.delegations.decisions import expire_offers
from ecosystem.delegations.documents import purge_pending_uploads as purge
from ecosystem.delegations.notices import announce_locked_rosters, remind_expiring_offers

bp = Blueprint("delegations_cli", __name__, cli_group="delegations")
PERIOD_SECONDS = 600


def run_periodic_tasks() -> tuple[int, int, int]:
    """Returns (offers expired, offer reminders queued, roster-locked mails queued)."""
    with link_context():
        return expire_offers(), remind_expiring_offers(), announce_locked_rosters()


def purge_pending_uploads() -> int:
    """Delete the pitch decks kept after failed forms and never sent again (after a day)."""
    return purge()


@bp.cli.command("run-tasks")
def run_tasks_command() -> None:
    """Pass expired reserve offers on, remind offers about to expire, announce locked rosters."""
    expired, reminders, roster_mails = run_periodic_tasks()
    click.echo(f"offers expired: {expired}; offer reminders queued: {reminders}; "
               f"roster-locked mails queued: {roster_mails}; kept decks deleted: {purge_pending_uploads()}")
