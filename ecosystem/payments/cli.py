"""`flask payments ...`: cancel abandoned PaymentIntents, carry out due card refunds.

The worker loop runs both too (scheduled jobs, `ecosystem.core.jobs`: refunds every minute, abandoned intents
every 10 minutes); both are safe to run twice or from several machines at once: a payment or refund is taken
under its row lock (refunds with `SKIP LOCKED`), no lock is held while Stripe answers, and Stripe sees one
idempotency key per action.
"""

from __future__ import annotations

import click
from flask import Blueprint

from ecosystem.core.urls import link_context
from ecosystem.payments.refunds import carry_out_due_refunds
from ecosystem.payments.services import cancel_abandoned_intents

bp = Blueprint("payments_cli", __name__, cli_group="payments")
PERIOD_SECONDS = 600
REFUND_PERIOD_SECONDS = 60


def run_periodic_tasks() -> int:
    with link_context():
        return cancel_abandoned_intents()


def run_due_refunds():
    with link_context():
        return carry_out_due_refunds()


@bp.cli.command("cancel-abandoned")
def cancel_abandoned_command() -> None:
    """Cancel the open PaymentIntents of cancelled registrations."""
    click.echo(f"payment intents cancelled: {run_periodic_tasks()}")


@bp.cli.command("refund-due")
def refund_due_command() -> None:
    """Make the due card refunds through Stripe (retried with backoff; failed after the last attempt)."""
    run = run_due_refunds()
    click.echo(f"refunds made: {run.succeeded}, to retry: {run.retrying}, failed: {run.failed}")
