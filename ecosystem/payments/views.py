"""Payment pages, receipts, recording bank transfers, and the Stripe webhook."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ecosystem.auth.permissions import authorize, can, confirmed_required
from ecosystem.core.listing import list_query_or_400
from ecosystem.events.models import Registration, RegistrationStatus
from ecosystem.extensions import csrf, db
from ecosystem.payments import services
from ecosystem.payments.forms import RecordTransferForm
from ecosystem.payments.models import Payment, PaymentStatus
from ecosystem.security import content_security_policy

bp = Blueprint("payments", __name__, url_prefix="/payments")


def _own_registration(registration_id: int) -> Registration:
    """The registration, if the current user is its attendee or bought it; 404 otherwise (no probing)."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not can(current_user, "payment.pay", registration):
        abort(404)
    return registration


def _with_stripe_csp(response):
    """Allow Stripe.js (or the configured stand-in) on this page only."""
    origins = " ".join(services.stripe_csp_origins())
    policy = content_security_policy()
    for directive in ("script-src 'self'", "frame-src 'self'", "connect-src 'self'"):
        policy = policy.replace(directive, f"{directive} {origins}", 1)
    response.headers["Content-Security-Policy"] = policy
    return response


@bp.get("/registrations/<int:registration_id>/pay")
@confirmed_required
def pay(registration_id: int):
    registration = _own_registration(registration_id)
    if registration.status != RegistrationStatus.AWAITING_PAYMENT:
        return redirect(url_for("payments.status", registration_id=registration.id))
    try:
        start = services.start_payment(registration, current_user)
    except services.PaymentError as error:
        flash(error.message, "error")
        return redirect(url_for("payments.status", registration_id=registration.id))
    qr_code = segno.make(start.vietqr, error="m").svg_data_uri(scale=4) if start.vietqr else None
    response = make_response(render_template(
        "payments/pay.html", registration=registration, event=registration.event, start=start,
        payment=start.payment, qr_code=qr_code, stripe_js_url=services.stripe_js_url(),
        publishable_key=current_app.config.get("STRIPE_PUBLISHABLE_KEY", ""),
    ))
    if start.client_secret:
        response.headers["Cache-Control"] = "no-store"
        _with_stripe_csp(response)
    return response


@bp.get("/registrations/<int:registration_id>/status")
@confirmed_required
def status(registration_id: int):
    registration = _own_registration(registration_id)
    payment = services.payment_for_registration(registration)
    waiting = registration.status == RegistrationStatus.AWAITING_PAYMENT
    return render_template(
        "payments/status.html", registration=registration, event=registration.event, payment=payment,
        waiting=waiting, RegistrationStatus=RegistrationStatus,
    )


@bp.get("/<int:payment_id>/receipt")
@confirmed_required
def receipt(payment_id: int):
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        abort(404)
    authorize("payment.view", payment)
    if payment.paid_at is None:
        abort(404)
    return render_template("payments/receipt.html", payment=payment, registration=payment.registration,
                           event=payment.registration.event)


@bp.get("/transfers")
@confirmed_required
def transfers():
    if not services.may_check_transfers(current_user):
        abort(403)
    query = list_query_or_400(request.args, sorts=services.TRANSFER_SORTS, default_sort="oldest",
                              facets={"status": services.TRANSFER_STATUSES})
    page = services.transfers_to_check(current_user, query)
    return render_template("payments/transfers.html", page=page, query=query, form=RecordTransferForm())


@bp.post("/<int:payment_id>/received")
@confirmed_required
def received(payment_id: int):
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        abort(404)
    authorize("payment.record", payment)
    form = RecordTransferForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        payment = services.record_transfer(payment.id, current_user)
    except services.PaymentError as error:
        flash(error.message, "error")
        return redirect(url_for("payments.transfers")), 303
    if payment.status == PaymentStatus.REFUND_DUE:
        flash(_("Transfer recorded, but the seat was already given to someone else: the money must be paid back."),
              "warning")
    else:
        flash(_("Transfer recorded; the ticket was issued."), "success")
    return redirect(url_for("payments.transfers")), 303


@bp.post("/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    try:
        outcome = services.handle_webhook(request.get_data(cache=False), request.headers.get("Stripe-Signature"))
    except services.WebhookRejected:
        return {"error": "invalid signature"}, 400
    return {"received": outcome}, 200
