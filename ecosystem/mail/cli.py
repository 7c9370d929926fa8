"""`flask outbox ...` commands."""

import click
from flask import Blueprint, current_app

from ecosystem.mail.services import deliver_due, outbox_counts
from ecosystem.mail.worker import run_forever

bp = Blueprint("outbox_cli", __name__, cli_group="outbox")


@bp.cli.command("run")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
def run_command(once: bool) -> None:
    """Deliver queued e-mails (several workers may run at once on PostgreSQL)."""
    if once:
        report = deliver_due(limit=10_000)
        click.echo(f"sent {len(report.sent)}, retry later {len(report.retried)}, failed {len(report.failed)}")
        return
    run_forever(current_app._get_current_object())


@bp.cli.command("status")
def status_command() -> None:
    """Count outbox messages by status."""
    for status, count in outbox_counts().items():
        click.echo(f"{status}: {count}")
