"""Paying and cancelling as people do it (issue 10): the bank named from the shipped VietQR list, copy buttons and
a QR image to save, the working-day promise, what a cancellation refunds, cancelled registrations on the
transfers page, and the event form's bank chosen by name."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import segno
import sqlalchemy as sa
from PIL import Image

from ecosystem.auth.models import Role, User
from ecosystem.events import hooks
from ecosystem.events.management import EventData, cancel_event
from ecosystem.events.models import Event, EventOrganiser, Registration
from ecosystem.events.registration import cancel_registration, expire_holds
from ecosystem.extensions import db
from ecosystem.payments.banks import BANKS_FILE, read_banks, vietqr_banks
from ecosystem.payments.models import Payment
from ecosystem.payments.services import pending_transfer_payload, record_transfer
from ecosystem.timeutil import utcnow
from tests.factories import make_event, make_user
from tests.payments.conftest import make_awaiting, make_paid_event, stripe_off  # noqa: F401 - fixture

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def _english(forms):
    forms.post("/language", {"lang": "en"}, form_page="/")


# --- the bank list --------------------------------------------------------------------------------------


def test_the_shipped_bank_list_names_the_common_banks_by_bin():
    banks = {bank.bin: bank for bank in vietqr_banks()}
    assert len(banks) >= 45
    expected = {"970415": "VietinBank", "970436": "Vietcombank", "970418": "BIDV", "970405": "Agribank",
                "970422": "MB", "970407": "Techcombank", "970416": "ACB", "970432": "VPBank", "970423": "TPBank",
                "970403": "Sacombank", "970437": "HDBank", "970441": "VIB", "970443": "SHB", "970449": "LPBank"}
    for bank_bin, short_name in expected.items():
        assert banks[bank_bin].short_name == short_name
    assert banks["970436"].name == "Ngân hàng TMCP Ngoại thương Việt Nam"
    assert hooks.bank_named("970418") == banks["970418"]  # what the events domain sees
    assert hooks.bank_named("999999") is None


@pytest.mark.parametrize(("rows", "problem"), [
    ("970436,Vietcombank,Ngân hàng TMCP Ngoại thương Việt Nam\n970436,VCB,Trùng mã\n", "listed twice"),
    ("97043,Vietcombank,Ngân hàng TMCP Ngoại thương Việt Nam\n", "6-digit BIN"),
    ("970436,,Ngân hàng TMCP Ngoại thương Việt Nam\n", "short and a full name"),
])
def test_a_malformed_bank_list_is_refused(tmp_path: Path, rows: str, problem: str):
    path = tmp_path / "banks.csv"
    path.write_text("bin,short_name,name\n" + rows, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        read_banks(path)
    assert BANKS_FILE.read_text(encoding="utf-8").startswith("bin,short_name,name\n")


# --- the payment page -------------------------------------------------------------------------------------


def test_the_transfer_page_names_the_bank_offers_copy_buttons_a_qr_image_and_the_working_day_promise(
        app, client, auth, stripe_off):  # noqa: F811
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app, price=300_000)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    auth.login(user.email, user.password)
    page = _page(client, f"/payments/registrations/{registration_id}/pay")
    assert "<strong>VietinBank</strong> — Ngân hàng TMCP Công thương Việt Nam" in page
    assert "970415" not in page.split('<dl class="facts transfer-details">', 1)[1].split("</dl>", 1)[0]
    with app.app_context():
        payment = db.session.scalars(sa.select(Payment).filter_by(registration_id=registration_id)).one()
        reference = payment.transfer_reference
    # The values are plain text (selectable without JavaScript); copy.js adds the buttons.
    assert '<span class="copy-value" id="copy-account">113366668888</span>' in page
    assert f'<strong class="copy-value" id="copy-reference">{reference}</strong>' in page
    assert 'data-copy="300000"' in page and "/static/js/copy.js" in page
    assert "<button" not in page.split('class="panel bank-transfer"', 1)[1]  # no button without JavaScript
    assert "Lưu ảnh QR" in page and f"/payments/registrations/{registration_id}/vietqr.png" in page
    assert "xác nhận chuyển khoản trong ngày làm việc" in page
    assert "72 giờ" in page

    image = client.get(f"/payments/registrations/{registration_id}/vietqr.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data.startswith(PNG_SIGNATURE)
    assert "attachment" in image.headers["Content-Disposition"]
    assert image.headers["Cache-Control"] == "private, no-store"
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        payload = pending_transfer_payload(registration)
    assert reference in payload and "970415" in payload and "300000" in payload
    # The image is the same VietQR code as on the page, large enough for a banking app to read from a photo.
    expected = io.BytesIO()
    segno.make(payload, error="m").save(expected, kind="png", scale=10, border=4)
    assert image.data == expected.getvalue()
    with Image.open(io.BytesIO(image.data)) as decoded:
        assert decoded.size[0] >= 400 and decoded.size[0] == decoded.size[1]


def test_the_qr_image_is_for_the_payer_only_and_only_while_the_transfer_is_open(app, client, auth, stripe_off):  # noqa: F811
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    url = f"/payments/registrations/{registration_id}/vietqr.png"
    auth.login(user.email, user.password)
    assert client.get(url).status_code == 404  # the payment page has not opened the transfer yet
    assert client.get(f"/payments/registrations/{registration_id}/pay").status_code == 200
    assert client.get(url).status_code == 200
    auth.logout()
    stranger = make_user(app)
    auth.login(stranger.email, stranger.password)
    assert client.get(url).status_code == 404
    auth.logout()
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    with app.app_context():
        payment_id = db.session.scalar(sa.select(Payment.id).filter_by(registration_id=registration_id))
        record_transfer(payment_id, db.session.get(User, coordinator.id))
    auth.login(user.email, user.password)
    assert client.get(url).status_code == 404  # paid: nothing more to transfer


def test_the_hold_shown_follows_the_configured_transfer_hold(app, client, auth, stripe_off):  # noqa: F811
    app.config["TRANSFER_HOLD_HOURS"] = 24
    try:
        user = make_user(app)
        event_id, ticket_type_id = make_paid_event(app)
        registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
        auth.login(user.email, user.password)
        page = _page(client, f"/payments/registrations/{registration_id}/pay")
    finally:
        app.config["TRANSFER_HOLD_HOURS"] = 72
    assert "24 giờ" in page and "72 giờ" not in page


# --- what cancelling gives back ---------------------------------------------------------------------------


def _paid_by_transfer(app, refund_deadline=None):
    user = make_user(app, locale="en")
    event_id, ticket_type_id = make_paid_event(app, price=200_000, refund_deadline=refund_deadline)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    with app.test_request_context():
        from ecosystem.payments.services import start_payment

        registration = db.session.get(Registration, registration_id)
        payment = start_payment(registration, db.session.get(User, user.id)).payment
        record_transfer(payment.id, db.session.get(User, coordinator.id))
    return user, event_id, registration_id


def test_the_confirmation_says_the_full_amount_comes_back_before_the_deadline(app, client, auth, forms, stripe_off):  # noqa: F811
    user, _event_id, registration_id = _paid_by_transfer(app, refund_deadline=utcnow() + timedelta(days=3))
    auth.login(user.email, user.password)
    _english(forms)
    page = _page(client, f"/events/registrations/{registration_id}/cancel")
    assert "You get the full amount back: ₫200,000." in page
    assert "The organiser transfers it back to you by hand." in page


def test_the_confirmation_says_nothing_comes_back_after_the_deadline(app, client, auth, forms, stripe_off):  # noqa: F811
    user, _event_id, registration_id = _paid_by_transfer(app, refund_deadline=utcnow() + timedelta(days=3))
    with app.app_context():  # the deadline passes
        registration = db.session.get(Registration, registration_id)
        registration.event.refund_deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
    auth.login(user.email, user.password)
    _english(forms)
    page = _page(client, f"/events/registrations/{registration_id}/cancel")
    assert "Nothing is refunded: the refund deadline" in page and "You paid ₫200,000" in page
    assert "full amount back" not in page
    # And the rule that decides is the one the page told: no refund recorded.
    response = forms.post(f"/events/registrations/{registration_id}/cancel", {"confirm": "1"},
                          form_page=f"/events/registrations/{registration_id}/cancel")
    assert response.status_code == 303
    with app.app_context():
        payment = db.session.scalars(sa.select(Payment).filter_by(registration_id=registration_id)).one()
        assert payment.status == "succeeded" and not payment.refunds


# --- the transfers page -----------------------------------------------------------------------------------


def test_the_transfers_page_labels_transfers_of_cancelled_registrations(app, client, auth, forms, stripe_off):  # noqa: F811
    organiser = make_user(app)
    kept_user, gone_user, late_user = make_user(app), make_user(app), make_user(app)
    event_id, ticket_type_id = make_paid_event(app, capacity=5)
    cancelled_event_id, cancelled_type_id = make_paid_event(app, capacity=5)
    with app.app_context():
        for each in (event_id, cancelled_event_id):
            db.session.add(EventOrganiser(event_id=each, user_id=organiser.id))
        db.session.commit()
    ids = {name: make_awaiting(app, event_id, ticket_type_id, user.id)
           for name, user in (("kept", kept_user), ("gone", gone_user), ("late", late_user))}
    ids["event"] = make_awaiting(app, cancelled_event_id, cancelled_type_id, make_user(app).id)
    with app.test_request_context():
        from ecosystem.payments.services import start_payment

        references = {}
        for name, registration_id in ids.items():
            registration = db.session.get(Registration, registration_id)
            payer = db.session.get(User, registration.attendee_id)
            references[name] = start_payment(registration, payer).payment.transfer_reference
        cancel_registration(db.session.get(Registration, ids["gone"]))
        late = db.session.get(Registration, ids["late"])
        late.hold_expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        expire_holds()
        cancel_event(db.session.get(Event, cancelled_event_id))
    auth.login(organiser.email, organiser.password)
    _english(forms)
    page = _page(client, "/payments/transfers")
    rows = {name: page.split(f'<th scope="row">{reference}</th>', 1)[1].split("</tr>", 1)[0]
            for name, reference in references.items()}
    assert "Registration cancelled" not in rows["kept"]
    assert "Registration cancelled" in rows["gone"] and "before paying" in rows["gone"]
    assert "Registration cancelled" in rows["late"] and "The hold ran out" in rows["late"]
    assert "Registration cancelled" in rows["event"] and "The event is cancelled" in rows["event"]


# --- the event form: the bank by name ---------------------------------------------------------------------


def test_the_event_form_chooses_the_bank_by_name_and_keeps_its_bin(app, client, auth, forms):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    event = make_event(app, creator=coordinator)
    auth.login(coordinator.email, coordinator.password)
    page = _page(client, f"/events/{event.slug}/manage")
    assert re.search(r'<select[^>]* id="bank_bin"', page)
    assert '<option value="970436">Vietcombank — Ngân hàng TMCP Ngoại thương Việt Nam (970436)</option>' in page
    assert "Mã BIN ngân hàng (6 chữ số)" not in page and "Ngân hàng của tài khoản nhận" in page
    with app.app_context():
        current = vars(EventData.from_event(db.session.get(Event, event.id)))
    data = {name: value for name, value in current.items() if value is not None and not hasattr(value, "hour")}
    data.update(starts_at=current["starts_at"].strftime("%Y-%m-%dT%H:%M"),
                ends_at=current["ends_at"].strftime("%Y-%m-%dT%H:%M"),
                bank_bin="970418", bank_account_number="0011001234567", bank_account_name="So KHCN Thai Nguyen")
    response = forms.post(f"/events/{event.slug}/manage", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        assert db.session.get(Event, event.id).bank_bin == "970418"
    page = _page(client, f"/events/{event.slug}/manage")
    assert re.search(r'<option (selected value="970418"|value="970418" selected)>', page)
