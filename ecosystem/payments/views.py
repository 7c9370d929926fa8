"""Payment pages, receipts, recording bank transfers, and the Stripe webhook."""

from __future__ import annotations

from io import BytesIO

import segno
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ecosystem.auth.permissions import authorize, can, confirmed_required
from ecosystem.core.listing import list_query_or_400
from ecosystem.events.models import Event, Registration, RegistrationStatus
from ecosystem.extensions import csrf, db
from ecosystem.payments import refunds, services
from ecosystem.payments.forms import ButtonForm, PaidBackForm, RecordTransferForm
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
        transfer_hold_hours=int(services.transfer_hold().total_seconds() // 3600),
        bank=services.bank_by_bin(registration.event.bank_bin),
    ))
    if start.client_secret:
        response.headers["Cache-Control"] = "no-store"
        _with_stripe_csp(response)
    return response


@bp.get("/registrations/<int:registration_id>/vietqr.png")
@confirmed_required
def vietqr_png(registration_id: int):
    """The VietQR code of the registration's pending bank transfer as a PNG to save (a phone cannot scan its own
    screen: the banking app opens the saved picture instead). Authorized like the payment page."""
    registration = _own_registration(registration_id)
    payload = services.pending_transfer_payload(registration)
    if payload is None:
        abort(404)
    buffer = BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=10, border=4)
    response = make_response(buffer.getvalue())
    response.headers["Content-Type"] = "image/png"
    response.headers["Content-Disposition"] = f'attachment; filename="vietqr-{registration.id}.png"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/registrations/<int:registration_id>/status")
@confirmed_required
def status(registration_id: int):
    registration = _own_registration(registration_id)
    payment = services.payment_for_registration(registration)
    waiting = registration.status == RegistrationStatus.AWAITING_PAYMENT
    return render_template(
        "payments/status.html", registration=registration, event=registration.event, payment=payment,
        waiting=waiting,
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
    return render_template("payments/transfers.html", page=page, query=query, form=RecordTransferForm(),
                           paid_back_form=PaidBackForm(), reason_labels=refunds.REFUND_REASON_LABELS)


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
        flash(_("Transfer recorded, but there is no seat for it any more (the seat hold ran out and no seat is "
                "free, or the registration or the event was cancelled): the money must be paid back. "
                "It is listed under “To pay back”."), "warning")
    else:
        flash(_("Transfer recorded; the ticket was issued."), "success")
    return redirect(url_for("payments.transfers")), 303


def _managed_refund(refund_id: int) -> int:
    """The refund's id, if the current user organises its event (or coordinates); 404 / 403 otherwise."""
    event_id = refunds.refund_event_id(refund_id)
    if event_id is None:
        abort(404)
    if not services.organises(current_user, event_id):
        abort(403)
    return refund_id


@bp.post("/refunds/<int:refund_id>/paid-back")
@confirmed_required
def paid_back(refund_id: int):
    _managed_refund(refund_id)
    form = PaidBackForm()
    back = url_for("payments.transfers", status=PaymentStatus.REFUND_DUE)
    if not form.validate_on_submit():
        if form.csrf_token.errors or not form.is_submitted():
            abort(400)
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(back), 303
    try:
        refund = refunds.mark_paid_back(refund_id, current_user, form.bank_reference.data)
    except services.PaymentError as error:
        flash(error.message, "error")
        return redirect(back), 303
    flash(_("Recorded as paid back (reference %(reference)s).", reference=refund.bank_reference), "success")
    return redirect(back), 303


@bp.post("/refunds/<int:refund_id>/retry")
@confirmed_required
def retry_refund(refund_id: int):
    _managed_refund(refund_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    slug = db.session.scalar(db.select(Event.slug).where(Event.id == refunds.refund_event_id(refund_id)))
    try:
        refunds.retry_refund(refund_id)
    except services.PaymentError as error:
        flash(error.message, "error")
    else:
        flash(_("The refund will be tried again in a moment."), "success")
    return redirect(url_for("payments.event_refunds", slug=slug)), 303


@bp.get("/events/<slug>/refunds")
@confirmed_required
def event_refunds(slug: str):
    event = db.session.scalar(db.select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    if not services.organises(current_user, event.id):
        abort(403)
    return render_template("payments/refunds.html", event=event, refunds=refunds.event_refunds(event),
                           state_labels=refunds.REFUND_STATE_LABELS, reason_labels=refunds.REFUND_REASON_LABELS,
                           button_form=ButtonForm())


@bp.post("/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    try:
        outcome = services.handle_webhook(request.get_data(cache=False), request.headers.get("Stripe-Signature"))
    except services.WebhookRejected:
        return {"error": "invalid signature"}, 400
    except services.WebhookFailed:
        return {"error": "not applied, deliver again"}, 500
    return {"received": outcome}, 200
