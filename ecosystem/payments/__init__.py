"""Payments: card payments through Stripe, bank transfers (VietQR), receipts and refunds.

Loading the package also answers the events domain's questions (`events/hooks.py`: the bank list, the
refund preview; `set_payment_hold`) and connects to its signals (`events/signals.py`).
"""

from flask import Flask

from ecosystem.core.jobs import schedule
from ecosystem.core.templating import expose_enums
from ecosystem.payments import banks, cli, refunds, services, views  # noqa: F401 - banks, refunds, services: hooks
from ecosystem.payments.models import PaymentStatus, RefundState


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(cli.bp)
    schedule(app, cli.run_periodic_tasks, cli.PERIOD_SECONDS)
    schedule(app, cli.run_due_refunds, cli.REFUND_PERIOD_SECONDS)
    expose_enums(app, PaymentStatus, RefundState)
