"""`flask payments cancel-abandoned`: cancel the PaymentIntents of cancelled registrations.

The outbox worker runs it every 10 minutes too; it is safe to run twice or from several machines at once
(each payment is taken under its row lock, and Stripe sees one idempotency key per payment).
"""

from __future__ import annotations

import click
from flask import Blueprint

from ecosystem.core.urls import link_context
from ecosystem.mail.worker import register_periodic_task

bp = Blueprint("payments_cli", __name__, cli_group="payments")
PERIOD_SECONDS = 600


def run_periodic_tasks() -> int:
    from ecosystem.payments.services import cancel_abandoned_intents

    with link_context():
        return cancel_abandoned_intents()


register_periodic_task(run_periodic_tasks, PERIOD_SECONDS)


@bp.cli.command("cancel-abandoned")
def cancel_abandoned_command() -> None:
    """Cancel the open PaymentIntents of cancelled registrations."""
    click.echo(f"payment intents cancelled: {run_periodic_tasks()}")
