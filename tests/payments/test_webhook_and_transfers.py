"""Webhook signature checks, and bank transfers (VietQR) recorded by a coordinator."""

from __future__ import annotations

import time

from ecosystem.auth.models import Role
from ecosystem.events.models import EventOrganiser, Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.payments.models import Payment, PaymentProvider, PaymentStatus, StripeEvent
from tests.factories.users import make_user
from tests.payments.conftest import make_awaiting, make_paid_event, post_webhook, signed, stripe_event


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_webhook_refuses_unsigned_stale_altered_or_wrongly_signed_events(app, client, stripe_off):
    event = stripe_event("evt_bad", "payment_intent.succeeded", {"id": "pi_x", "object": "payment_intent"})
    body, header = signed(event)
    assert post_webhook(client, body, None).status_code == 400
    assert post_webhook(client, body, "").status_code == 400
    assert post_webhook(client, body, "t=1,v1=deadbeef").status_code == 400
    assert post_webhook(client, body, signed(event, secret="whsec_other")[1]).status_code == 400  # noqa: S106
    assert post_webhook(client, body.replace(b"pi_x", b"pi_y"), header).status_code == 400
    assert post_webhook(client, *signed(event, timestamp=int(time.time()) - 3600)).status_code == 400
    assert post_webhook(client, b"\xff\xfe" * 10, header).status_code == 400
    assert client.get("/payments/stripe/webhook").status_code == 405
    with app.app_context():
        assert _count(StripeEvent) == 0
    assert post_webhook(client, body, header).status_code == 200
    with app.app_context():
        assert _count(StripeEvent) == 1


def test_bank_transfer_page_shows_vietqr_and_coordinator_records_it(app, client, auth, forms, stripe_off, mailbox,
                                                                     deliver_mail):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app, price=200_000)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    auth.login(user.email, user.password)
    page = client.get(f"/payments/registrations/{registration_id}/pay")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "data:image/svg+xml" in html and "113366668888" in html
    with app.app_context():
        payment = db.session.scalars(db.select(Payment).filter_by(registration_id=registration_id)).one()
        assert payment.provider == PaymentProvider.BANK_TRANSFER and payment.transfer_reference.startswith("TN")
        assert payment.transfer_reference in html
        payment_id, reference = payment.id, payment.transfer_reference
    assert client.get(f"/payments/registrations/{registration_id}/pay").status_code == 200
    # The payer may not record their own transfer.
    refused = forms.post(f"/payments/{payment_id}/received", {}, form_page="/")
    assert refused.status_code == 403
    auth.logout()
    # The organiser of another event may not record it either.
    other_organiser = make_user(app, roles=(Role.CLUB_LEADER,))
    other_event_id, _ = make_paid_event(app)
    with app.app_context():
        db.session.add(EventOrganiser(event_id=other_event_id, user_id=other_organiser.id))
        db.session.commit()
    auth.login(other_organiser.email, other_organiser.password)
    assert forms.post(f"/payments/{payment_id}/received", {}, form_page="/").status_code == 403
    assert reference not in client.get("/payments/transfers").get_data(as_text=True)
    auth.logout()
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    auth.login(coordinator.email, coordinator.password)
    assert reference in client.get("/payments/transfers").get_data(as_text=True)
    assert client.post(f"/payments/{payment_id}/received").status_code == 400  # no CSRF token
    recorded = forms.post(f"/payments/{payment_id}/received", {}, form_page="/")
    assert recorded.status_code == 303
    again = forms.post(f"/payments/{payment_id}/received", {}, form_page="/")
    assert again.status_code == 303
    with app.app_context():
        payment = db.session.get(Payment, payment_id)
        assert payment.status == PaymentStatus.SUCCEEDED and payment.recorded_by_id == coordinator.id
        assert db.session.get(Registration, registration_id).status == RegistrationStatus.CONFIRMED
    assert client.get(f"/payments/{payment_id}/receipt").status_code == 200
    assert forms.post("/payments/999999/received", {}, form_page="/").status_code == 404


def test_bank_transfer_without_account_gives_a_message(app, client, auth, stripe_off):
    user = make_user(app)
    event_id, ticket_type_id = make_paid_event(app, bank=False)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    auth.login(user.email, user.password)
    response = client.get(f"/payments/registrations/{registration_id}/pay")
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200
    with app.app_context():
        assert _count(Payment) == 0


def _seed_transfers(app, count: int) -> None:
    """`count` pending bank transfers, each of another member, written directly for speed."""
    from ecosystem.auth.models import User
    from ecosystem.events.models import Order

    event_id, ticket_type_id = make_paid_event(app, capacity=1000)
    with app.app_context():
        start = db.session.scalar(db.select(db.func.count()).select_from(User))
        for index in range(count):
            user = User(email=f"transfer{start + index}@example.com", full_name=f"Người chuyển {index}",
                        password_hash="!")  # cannot log in; hashing 500 passwords would only be slow
            order = Order(event_id=event_id, buyer=user)
            registration = Registration(event_id=event_id, ticket_type_id=ticket_type_id, order=order, attendee=user,
                                        status=RegistrationStatus.AWAITING_PAYMENT)
            db.session.add(Payment(registration=registration, provider=PaymentProvider.BANK_TRANSFER,
                                   amount_vnd=150_000, idempotency_key=f"seed-{start}-{index}",
                                   transfer_reference=f"TNSEED{start}X{index}"))
        db.session.commit()


def test_transfer_list_runs_constant_queries_and_is_for_staff_only(app, client, auth, count_queries, stripe_off):
    member = make_user(app)
    auth.login(member.email, member.password)
    assert client.get("/payments/transfers").status_code == 403
    auth.logout()
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    auth.login(coordinator.email, coordinator.password)
    _seed_transfers(app, 5)
    with count_queries() as few:
        assert client.get("/payments/transfers?per_page=100").status_code == 200
    _seed_transfers(app, 500)
    with count_queries() as many:
        page = client.get("/payments/transfers?per_page=100")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('<th scope="row">TNSEED') == 100
    assert len(many) == len(few), (len(few), len(many))
    print(f"transfer list: {len(many)} queries")
    for bad in ("?page=-1", "?page=abc", "?sort=password", "?status=succeeded", "?per_page=100000",
                "?status=" + "x" * 10_000):
        assert client.get("/payments/transfers" + bad).status_code == 400, bad


def test_start_payment_refuses_someone_else(app, stripe_off):
    import pytest

    from ecosystem.auth.models import User
    from ecosystem.payments.services import PaymentError, start_payment

    owner, stranger = make_user(app), make_user(app)
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, owner.id)
    with app.app_context():
        with pytest.raises(PaymentError):
            start_payment(db.session.get(Registration, registration_id), db.session.get(User, stranger.id))
        assert _count(Payment) == 0
