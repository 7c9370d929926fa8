"""Bank transfers are not card holds: a longer hold shown with its deadline, late transfers reinstated or marked
for repayment, and transfers paid back by hand with who, when and the bank reference (issue 9, item 3)."""

from __future__ import annotations

import html
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from ecosystem.auth.models import Role
from ecosystem.events.models import EventOrganiser, Registration, RegistrationStatus
from ecosystem.events.registration import cancel_registration, expire_holds
from ecosystem.extensions import db
from ecosystem.i18n import format_when
from ecosystem.payments.models import Payment, PaymentStatus, RefundReason, RefundState
from ecosystem.timeutil import utcnow
from tests.factories.users import make_user
from tests.payments.conftest import make_awaiting, make_paid_event


def _registration(app, registration_id: int) -> Registration:
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        db.session.expunge(registration)
        return registration


def _payment_of(app, registration_id: int) -> Payment:
    with app.app_context():
        payment = db.session.scalars(sa.select(Payment).filter_by(registration_id=registration_id)).one()
        db.session.expunge(payment)
        return payment


def _open_pay_page(client, auth, user, registration_id: int) -> str:
    auth.login(user.email, user.password)
    page = client.get(f"/payments/registrations/{registration_id}/pay")
    assert page.status_code == 200
    auth.logout()
    return html.unescape(page.get_data(as_text=True))


def test_a_seat_awaiting_a_transfer_is_held_transfer_hold_hours_and_the_page_shows_until_when(app, client, auth,
                                                                                             stripe_off):
    user = make_user(app, locale="en")
    event_id, ticket_type_id = make_paid_event(app, capacity=5)
    before = utcnow()
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    hold = _registration(app, registration_id).hold_expires_at
    assert before + timedelta(hours=72) <= hold <= utcnow() + timedelta(hours=72)
    page = _open_pay_page(client, auth, user, registration_id)
    with app.test_request_context(), force_locale("en"):
        deadline = format_when(hold)
    assert f"Transfer before {deadline}." in page
    assert "held for 72 hours" in page
    # The length is configurable.
    app.config["TRANSFER_HOLD_HOURS"] = 24
    try:
        other = make_user(app, locale="en")
        other_id = make_awaiting(app, event_id, ticket_type_id, other.id)
        assert _registration(app, other_id).hold_expires_at <= utcnow() + timedelta(hours=24)
        assert "held for 24 hours" in _open_pay_page(client, auth, other, other_id)
    finally:
        app.config["TRANSFER_HOLD_HOURS"] = 72


def test_a_card_payment_keeps_its_short_hold(app, stripe_on):
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, make_user(app).id)
    assert _registration(app, registration_id).hold_expires_at <= utcnow() + timedelta(minutes=30)


def test_a_transfer_recorded_after_its_hold_ran_out_gets_the_seat_back_when_one_is_free(app, client, auth, forms,
                                                                                         stripe_off):
    user = make_user(app)
    coordinator = make_user(app, roles=(Role.COORDINATOR,), locale="en")
    event_id, ticket_type_id = make_paid_event(app, capacity=2)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    _open_pay_page(client, auth, user, registration_id)
    payment = _payment_of(app, registration_id)
    with app.test_request_context():
        assert expire_holds(utcnow() + timedelta(hours=73)) == 1
    assert _registration(app, registration_id).status == RegistrationStatus.CANCELLED
    auth.login(coordinator.email, coordinator.password)
    listed = html.unescape(client.get("/payments/transfers").get_data(as_text=True))
    assert payment.transfer_reference in listed and "The hold ran out" in listed
    response = forms.post(f"/payments/{payment.id}/received", {}, form_page="/payments/transfers",
                          follow_redirects=True)
    assert "the ticket was issued" in response.get_data(as_text=True)
    registration = _registration(app, registration_id)
    assert registration.status == RegistrationStatus.CONFIRMED and registration.ticket_code
    assert registration.cancelled_at is None
    assert _payment_of(app, registration_id).status == PaymentStatus.SUCCEEDED


def test_a_late_transfer_without_a_free_seat_is_marked_for_repayment_then_paid_back(app, client, auth, forms,
                                                                                    stripe_off):
    first, second = make_user(app), make_user(app)
    coordinator = make_user(app, roles=(Role.COORDINATOR,), locale="en", full_name="Lê Thu Hà")
    event_id, ticket_type_id = make_paid_event(app, capacity=1)
    first_id = make_awaiting(app, event_id, ticket_type_id, first.id)
    _open_pay_page(client, auth, first, first_id)
    payment = _payment_of(app, first_id)
    with app.test_request_context():
        expire_holds(utcnow() + timedelta(hours=73))
    make_awaiting(app, event_id, ticket_type_id, second.id)  # the seat went to the next person
    auth.login(coordinator.email, coordinator.password)
    response = forms.post(f"/payments/{payment.id}/received", {}, form_page="/payments/transfers",
                          follow_redirects=True)
    assert "the money must be paid back" in html.unescape(response.get_data(as_text=True))
    assert _registration(app, first_id).status == RegistrationStatus.CANCELLED
    with app.app_context():
        late = db.session.get(Payment, payment.id)
        assert late.status == PaymentStatus.REFUND_DUE and late.receipt_number
        [refund] = late.refunds
        assert (refund.state, refund.reason, refund.amount_vnd) == (RefundState.DUE, RefundReason.SEAT_GONE,
                                                                     late.amount_vnd)
        refund_id = refund.id
    to_pay_back = html.unescape(client.get("/payments/transfers?status=refund-due").get_data(as_text=True))
    assert payment.transfer_reference in to_pay_back and "paid after the seat was released" in to_pay_back
    assert f'action="/payments/refunds/{refund_id}/paid-back"' in to_pay_back

    # A bank reference is required; bad input is a message, not a 500, and changes nothing.
    for bad, message in (("", "Enter the bank reference"), ("   ", "Enter the bank reference"),
                         ("x" * 81, "at most 80 characters")):
        refused = forms.post(f"/payments/refunds/{refund_id}/paid-back", {"bank_reference": bad},
                             form_page="/payments/transfers?status=refund-due", follow_redirects=True)
        assert refused.status_code == 200 and message in refused.get_data(as_text=True), bad
    assert client.post(f"/payments/refunds/{refund_id}/paid-back", data={"bank_reference": "X"}).status_code == 400
    with app.app_context():
        assert db.session.get(Payment, payment.id).refunds[0].state == RefundState.DUE

    before = utcnow()
    done = forms.post(f"/payments/refunds/{refund_id}/paid-back", {"bank_reference": " FT26335  0012 "},
                      form_page="/payments/transfers?status=refund-due")
    assert done.status_code == 303
    with app.app_context():
        paid_back = db.session.get(Payment, payment.id)
        [refund] = paid_back.refunds
        assert paid_back.status == PaymentStatus.REFUNDED and paid_back.amount_refunded_vnd == paid_back.amount_vnd
        assert refund.state == RefundState.PAID_BACK and refund.bank_reference == "FT26335 0012"
        assert refund.paid_back_by_id == coordinator.id and before <= refund.paid_back_at <= utcnow()
    again = forms.post(f"/payments/refunds/{refund_id}/paid-back", {"bank_reference": "FT2"},
                       form_page="/payments/transfers", follow_redirects=True)
    assert "not due any more" in again.get_data(as_text=True)
    assert payment.transfer_reference not in client.get("/payments/transfers?status=refund-due").get_data(
        as_text=True)
    shown = html.unescape(client.get("/payments/transfers?status=refunded").get_data(as_text=True))
    assert payment.transfer_reference in shown and "by Lê Thu Hà, bank reference FT26335 0012" in shown

    # Only the event's organisers (and coordinators) may record it.
    auth.logout()
    other = make_user(app, roles=(Role.CLUB_LEADER,))
    other_event, _ = make_paid_event(app)
    with app.app_context():
        db.session.add(EventOrganiser(event_id=other_event, user_id=other.id))
        db.session.commit()
    auth.login(other.email, other.password)
    assert forms.post(f"/payments/refunds/{refund_id}/paid-back", {"bank_reference": "FT9"},
                      form_page="/").status_code == 403
    assert forms.post("/payments/refunds/999999/paid-back", {"bank_reference": "FT9"},
                      form_page="/").status_code == 404


def test_a_late_transfer_is_not_reinstated_for_someone_who_cancelled_or_registered_again(app, client, auth,
                                                                                       stripe_off):
    from ecosystem.events.registration import confirm_payment

    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app, capacity=5)
    cancelled_by_self = make_awaiting(app, event_id, ticket_type_id, user.id)
    with app.test_request_context():
        cancel_registration(db.session.get(Registration, cancelled_by_self))
    expired = make_awaiting(app, event_id, ticket_type_id, user.id)
    with app.test_request_context():
        expire_holds(utcnow() + timedelta(hours=73))
    again = make_awaiting(app, event_id, ticket_type_id, user.id)  # registered anew meanwhile
    with app.test_request_context():
        assert confirm_payment(db.session.get(Registration, cancelled_by_self)) is False
        assert confirm_payment(db.session.get(Registration, expired)) is False
        db.session.rollback()
        cancel_registration(db.session.get(Registration, again))
        assert confirm_payment(db.session.get(Registration, expired)) is True  # now nothing else is active
        db.session.commit()
    assert _registration(app, expired).status == RegistrationStatus.CONFIRMED
