"""Refunds: an organiser's cancellation always refunds; refunds are recorded as due while the event is locked
and made by the worker with no lock or transaction open, idempotently, retried with backoff (issue 9, items 1-2).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
import stripe
from flask import has_app_context
from stripe._http_client import new_default_http_client

from ecosystem.auth.models import Role, User
from ecosystem.events.management import cancel_event
from ecosystem.events.models import Event, Order, Registration, RegistrationStatus
from ecosystem.events.registration import cancel_registration
from ecosystem.extensions import db
from ecosystem.payments.models import Payment, PaymentProvider, PaymentStatus, Refund, RefundReason, RefundState
from ecosystem.payments.refunds import carry_out_due_refunds
from ecosystem.payments.services import record_transfer
from ecosystem.timeutil import utcnow
from tests.factories.users import make_user
from tests.payments.conftest import make_awaiting, make_paid_event, post_webhook, signed, stripe_event

UNREACHABLE_STRIPE = "http://127.0.0.1:9"  # the discard port: connection refused, as when Stripe is down


@dataclass
class Call:
    method: str
    url: str
    idempotency_key: str | None
    in_transaction: bool | None  # our session had a transaction open while Stripe answered
    rows_locked: bool | None  # PostgreSQL only: an event, registration, payment or refund row was locked


def _rows_locked() -> bool | None:
    """Whether another connection finds any event, registration, payment or refund row locked (PostgreSQL)."""
    if not has_app_context() or db.engine.dialect.name != "postgresql":
        return None
    with db.engine.connect() as connection:
        try:
            for table in ("events", "event_registrations", "payments", "refunds"):
                connection.execute(sa.text(f"SELECT 1 FROM {table} FOR UPDATE NOWAIT"))  # noqa: S608 - fixed names
        except sa.exc.OperationalError:
            return True
        finally:
            connection.rollback()
    return False


@pytest.fixture
def stripe_calls(app, stripe_on, monkeypatch):
    """Every HTTP request the stripe library sends (to localstripe), with what was open at that moment."""
    client = stripe.default_http_client or new_default_http_client()
    monkeypatch.setattr(stripe, "default_http_client", client)
    monkeypatch.setattr(stripe, "max_network_retries", 0)  # a refused connection fails at once
    calls: list[Call] = []
    original = client.request_with_retries

    def record(method, url, headers, post_data=None, *args, **kwargs):
        in_transaction = db.session().in_transaction() if has_app_context() else None
        calls.append(Call(method, url, headers.get("Idempotency-Key"), in_transaction, _rows_locked()))
        return original(method, url, headers, post_data, *args, **kwargs)

    monkeypatch.setattr(client, "request_with_retries", record)
    return calls


def _use_stripe(app) -> None:
    stripe.api_key = app.config["STRIPE_SECRET_KEY"]
    stripe.api_base = app.config["STRIPE_API_BASE"]


def _paid_intent(app, amount: int) -> str:
    """A PaymentIntent paid by card in localstripe; its id."""
    with app.app_context():
        _use_stripe(app)
        intent = stripe.PaymentIntent.create(amount=amount, currency="vnd", payment_method_types=["card"])
        stripe.PaymentIntent.modify(intent.id, payment_method="pm_card_visa")
        assert stripe.PaymentIntent.confirm(intent.id).status == "succeeded"
        return intent.id


def _seed_paid_card_tickets(app, count: int, price: int = 150_000, **event_options) -> tuple[int, list[int]]:
    """An event with `count` confirmed tickets, each paid by card (a real, paid PaymentIntent in localstripe).
    Written directly, for speed. Returns (event id, payment ids)."""
    event_id, ticket_type_id = make_paid_event(app, price=price, capacity=count + 10, **event_options)
    intents = [_paid_intent(app, price) for _ in range(count)]
    with app.app_context():
        start = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        payments = []
        for index, intent_id in enumerate(intents):
            user = User(email=f"paid{start}x{index}@example.com", full_name=f"Người mua {index}", password_hash="!")
            registration = Registration(event_id=event_id, ticket_type_id=ticket_type_id,
                                        order=Order(event_id=event_id, buyer=user), attendee=user,
                                        status=RegistrationStatus.CONFIRMED, confirmed_at=utcnow(),
                                        ticket_code=f"seed-{start}-{index}")
            payment = Payment(registration=registration, provider=PaymentProvider.STRIPE, amount_vnd=price,
                              idempotency_key=f"seed-{intent_id}", stripe_payment_intent_id=intent_id,
                              status=PaymentStatus.SUCCEEDED, paid_at=utcnow())
            db.session.add(payment)
            payments.append(payment)
        db.session.commit()
        return event_id, [payment.id for payment in payments]


def _cancel_event(app, event_id: int) -> float:
    """Cancel the event as its organiser would; returns how long the transaction took (seconds)."""
    with app.test_request_context():
        started = time.perf_counter()
        cancel_event(db.session.get(Event, event_id))
        return time.perf_counter() - started


def _make_started_and_past_deadline(app, event_id: int) -> None:
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.starts_at = utcnow() - timedelta(hours=1)
        event.refund_deadline = utcnow() - timedelta(days=2)
        db.session.commit()


def _stripe_refunds_of(app, intent_id: str) -> list:
    with app.app_context():
        _use_stripe(app)
        return list(stripe.Refund.list(payment_intent=intent_id).data)


# --- item 1: the organiser's cancellation refunds whatever the deadline ---------------


def test_cancelling_a_started_event_past_its_refund_deadline_refunds_a_card_payment(app, client, stripe_on):
    event_id, [payment_id] = _seed_paid_card_tickets(app, 1)
    _make_started_and_past_deadline(app, event_id)
    _cancel_event(app, event_id)
    with app.app_context():
        payment = db.session.get(Payment, payment_id)
        assert payment.status == PaymentStatus.REFUND_DUE
        [refund] = payment.refunds
        assert (refund.state, refund.reason, refund.amount_vnd) == (RefundState.DUE, RefundReason.EVENT_CANCELLED,
                                                                     150_000)
        assert carry_out_due_refunds().succeeded == 1
        payment = db.session.get(Payment, payment_id)
        assert payment.status == PaymentStatus.REFUNDED and payment.amount_refunded_vnd == 150_000
        intent_id = payment.stripe_payment_intent_id
        assert payment.refunds[0].stripe_refund_id.startswith("re_")
    [stripe_refund] = _stripe_refunds_of(app, intent_id)
    assert stripe_refund.amount == 150_000


def test_cancelling_a_started_event_past_its_refund_deadline_refunds_a_bank_transfer(app, client, auth, stripe_off):
    user = make_user(app)
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    event_id, ticket_type_id = make_paid_event(app, price=200_000)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    auth.login(user.email, user.password)
    assert client.get(f"/payments/registrations/{registration_id}/pay").status_code == 200
    with app.test_request_context():
        payment = db.session.scalars(sa.select(Payment).filter_by(registration_id=registration_id)).one()
        record_transfer(payment.id, db.session.get(User, coordinator.id))
        payment_id, reference = payment.id, payment.transfer_reference
    _make_started_and_past_deadline(app, event_id)
    _cancel_event(app, event_id)
    with app.app_context():
        payment = db.session.get(Payment, payment_id)
        assert payment.status == PaymentStatus.REFUND_DUE
        [refund] = payment.refunds
        assert (refund.state, refund.reason) == (RefundState.DUE, RefundReason.EVENT_CANCELLED)
        assert carry_out_due_refunds().handled == 0  # a transfer is paid back by hand, not by the worker
    status = client.get(f"/payments/registrations/{registration_id}/status").get_data(as_text=True)
    assert "cancelled" in status or "hủy" in status
    auth.logout()
    auth.login(coordinator.email, coordinator.password)
    assert reference in client.get("/payments/transfers?status=refund-due").get_data(as_text=True)


def test_an_organiser_cancelling_one_registration_refunds_after_the_deadline_the_attendee_does_not(app, stripe_on):
    event_id, [organiser_cancels, attendee_cancels] = _seed_paid_card_tickets(app, 2)
    _make_started_and_past_deadline(app, event_id)
    with app.test_request_context():
        for payment_id, by_organiser in ((organiser_cancels, True), (attendee_cancels, False)):
            cancel_registration(db.session.get(Payment, payment_id).registration, by_organiser=by_organiser)
        assert db.session.get(Payment, organiser_cancels).status == PaymentStatus.REFUND_DUE
        assert db.session.get(Payment, organiser_cancels).refunds[0].reason == RefundReason.ORGANISER
        assert db.session.get(Payment, attendee_cancels).status == PaymentStatus.SUCCEEDED
        assert db.session.get(Payment, attendee_cancels).refunds == []


# --- item 2: no Stripe call while a row is locked; the worker refunds ----------------


def test_cancel_event_with_many_paid_tickets_calls_no_stripe_and_the_worker_refunds_each_once(app, stripe_calls):
    count = 30
    event_id, payment_ids = _seed_paid_card_tickets(app, count)
    stripe_calls.clear()
    seconds = _cancel_event(app, event_id)
    print(f"cancel_event with {count} paid card tickets: {seconds * 1000:.0f} ms, {len(stripe_calls)} Stripe calls")
    assert stripe_calls == []  # nothing left the machine while the event's row was locked
    with app.app_context():
        refunds = list(db.session.scalars(sa.select(Refund).order_by(Refund.id)))
        assert len(refunds) == count and {refund.state for refund in refunds} == {RefundState.DUE}
        refund_ids = [refund.id for refund in refunds]

    # Stripe is down: every refund is tried once, stays due and waits for its next attempt.
    base = app.config["STRIPE_API_BASE"]
    app.config["STRIPE_API_BASE"] = UNREACHABLE_STRIPE
    try:
        with app.app_context():
            run = carry_out_due_refunds()
    finally:
        app.config["STRIPE_API_BASE"] = base
    assert (run.succeeded, run.retrying, run.failed) == (0, count, 0)
    with app.app_context():
        for refund in db.session.scalars(sa.select(Refund)):
            assert refund.state == RefundState.DUE and refund.attempts == 1 and refund.last_error
            assert refund.next_attempt_at > utcnow() + timedelta(seconds=50)
        assert carry_out_due_refunds().handled == 0  # not before the backoff
        run = carry_out_due_refunds(now=utcnow() + timedelta(minutes=2))
    assert (run.succeeded, run.retrying, run.failed) == (count, 0, 0)

    refund_posts = [call for call in stripe_calls if call.url.endswith("/v1/refunds")]
    assert len(refund_posts) == 2 * count  # one failed and one good attempt each
    assert {call.idempotency_key for call in refund_posts} == {f"refund-{refund_id}" for refund_id in refund_ids}
    assert not any(call.in_transaction for call in refund_posts)
    with app.app_context():
        assert carry_out_due_refunds(now=utcnow() + timedelta(days=2)).handled == 0  # done: once only
        payments = list(db.session.scalars(sa.select(Payment).where(Payment.id.in_(payment_ids))))
        assert {payment.status for payment in payments} == {PaymentStatus.REFUNDED}
        intents = [payment.stripe_payment_intent_id for payment in payments]
    assert len([call for call in stripe_calls if call.url.endswith("/v1/refunds")]) == 2 * count
    for intent_id in intents:
        assert [refund.amount for refund in _stripe_refunds_of(app, intent_id)] == [150_000]


def test_a_refund_stripe_keeps_refusing_is_failed_visibly_and_can_be_tried_again(app, client, auth, forms,
                                                                                   stripe_calls):
    organiser = make_user(app, roles=(Role.COORDINATOR,))
    event_id, [payment_id] = _seed_paid_card_tickets(app, 1)
    _cancel_event(app, event_id)
    base, attempts = app.config["STRIPE_API_BASE"], app.config["REFUND_MAX_ATTEMPTS"]
    app.config.update(STRIPE_API_BASE=UNREACHABLE_STRIPE, REFUND_MAX_ATTEMPTS=3)
    try:
        with app.app_context():
            outcomes = [carry_out_due_refunds(now=utcnow() + timedelta(hours=hours)) for hours in (0, 1, 3)]
    finally:
        app.config.update(STRIPE_API_BASE=base, REFUND_MAX_ATTEMPTS=attempts)
    assert [(run.retrying, run.failed) for run in outcomes] == [(1, 0), (1, 0), (0, 1)]
    with app.app_context():
        [refund] = db.session.get(Payment, payment_id).refunds
        assert refund.state == RefundState.FAILED and refund.attempts == 3 and "APIConnectionError" in refund.last_error
        assert carry_out_due_refunds(now=utcnow() + timedelta(days=3)).handled == 0  # given up
        slug, refund_id = db.session.get(Event, event_id).slug, refund.id
    auth.login(organiser.email, organiser.password)
    page = client.get(f"/payments/events/{slug}/refunds")
    assert page.status_code == 200 and "refund-failed" in page.get_data(as_text=True)
    retried = forms.post(f"/payments/refunds/{refund_id}/retry", {}, form_page=f"/payments/events/{slug}/refunds")
    assert retried.status_code == 303
    with app.app_context():
        assert carry_out_due_refunds().succeeded == 1
        assert db.session.get(Payment, payment_id).status == PaymentStatus.REFUNDED
    assert "refund-succeeded" in client.get(f"/payments/events/{slug}/refunds").get_data(as_text=True)
    # The registrations page leads there; someone who does not organise the event is refused.
    assert f"/payments/events/{slug}/refunds" in client.get(f"/events/{slug}/registrations").get_data(as_text=True)
    auth.logout()
    stranger = make_user(app)
    auth.login(stranger.email, stranger.password)
    assert client.get(f"/payments/events/{slug}/refunds").status_code == 403
    assert forms.post(f"/payments/refunds/{refund_id}/retry", {}, form_page="/").status_code == 403
    assert client.get("/payments/events/no-such-event/refunds").status_code == 404


@pytest.mark.postgresql
@pytest.mark.committing
def test_no_row_is_locked_while_stripe_answers(app, stripe_calls):
    event_id, _ = _seed_paid_card_tickets(app, 3)
    stripe_calls.clear()
    _cancel_event(app, event_id)
    assert stripe_calls == []
    with app.app_context():
        assert carry_out_due_refunds().succeeded == 3
    assert len(stripe_calls) == 3
    assert [(call.in_transaction, call.rows_locked) for call in stripe_calls] == [(False, False)] * 3
    # Control: the probe does see a lock when a Stripe call is made with the event's row locked.
    with app.app_context():
        _use_stripe(app)
        db.session.execute(sa.select(Event.id).where(Event.id == event_id).with_for_update())
        intent_id = db.session.scalars(sa.select(Payment.stripe_payment_intent_id)).first()
        stripe.PaymentIntent.retrieve(intent_id)
        db.session.rollback()
    assert (stripe_calls[-1].in_transaction, stripe_calls[-1].rows_locked) == (True, True)


def test_the_refund_due_command_runs_the_worker(app, stripe_on):
    event_id, [payment_id] = _seed_paid_card_tickets(app, 1)
    _cancel_event(app, event_id)
    result = app.test_cli_runner().invoke(args=["payments", "refund-due"])
    assert result.exit_code == 0 and "refunds made: 1, to retry: 0, failed: 0" in result.output
    with app.app_context():
        assert db.session.get(Payment, payment_id).status == PaymentStatus.REFUNDED


def test_the_charge_refunded_webhook_of_our_own_refund_changes_nothing_more(app, client, stripe_on):
    event_id, [payment_id] = _seed_paid_card_tickets(app, 1)
    _cancel_event(app, event_id)
    with app.app_context():
        carry_out_due_refunds()
        intent_id = db.session.get(Payment, payment_id).stripe_payment_intent_id
    charge = {"id": "ch_own", "object": "charge", "payment_intent": intent_id, "amount": 150_000,
              "amount_refunded": 150_000, "currency": "vnd"}
    response = post_webhook(client, *signed(stripe_event("evt_own_refund", "charge.refunded", charge)))
    assert response.status_code == 200 and response.json == {"received": "ignored"}


@pytest.mark.postgresql
@pytest.mark.committing
def test_workers_running_at_once_make_each_refund_once_with_a_negative_control(app, stripe_calls, monkeypatch):
    """Four workers at once: each due refund is claimed by one of them (`FOR UPDATE SKIP LOCKED`, the claim
    committed before Stripe is called). Without the claim lock two workers take the same refund and Stripe is
    asked twice (localstripe, unlike Stripe, does not deduplicate idempotency keys: the control shows it)."""
    from tests.concurrency import at_hook, in_threads, without_row_locks

    at_hook(monkeypatch, "payments.refund_selected", lambda: time.sleep(0.05))

    def race(count: int) -> list[int]:
        event_id, _ = _seed_paid_card_tickets(app, count)
        _cancel_event(app, event_id)
        stripe_calls.clear()
        results, errors = in_threads(app, carry_out_due_refunds, 4)
        assert errors == []
        keys = [call.idempotency_key for call in stripe_calls if call.url.endswith("/v1/refunds")]
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Refund).where(
                Refund.state == RefundState.DUE)) == 0
        print(f"{count} refunds, 4 workers: {sum(run.succeeded for run in results)} recorded, "
              f"{len(keys)} Stripe refund calls")
        return [keys.count(key) for key in set(keys)]

    assert race(12) == [1] * 12
    without_row_locks(monkeypatch, "payments.refunds")
    assert max(race(12)) > 1  # negative control: the same refund asked of Stripe more than once


def _seed_transfer_refunds(app, event_id: int, ticket_type_id: int, count: int, paid_back_by: int) -> None:
    """`count` paid transfers of a cancelled registration, half paid back already; written directly."""
    with app.app_context():
        start = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        for index in range(count):
            user = User(email=f"back{start}x{index}@example.com", full_name=f"Người nhận {index}", password_hash="!")
            registration = Registration(event_id=event_id, ticket_type_id=ticket_type_id,
                                        order=Order(event_id=event_id, buyer=user), attendee=user,
                                        status=RegistrationStatus.CANCELLED, cancelled_at=utcnow())
            payment = Payment(registration=registration, provider=PaymentProvider.BANK_TRANSFER, amount_vnd=150_000,
                              idempotency_key=f"back-{start}-{index}", transfer_reference=f"TNBACK{start}X{index}",
                              status=PaymentStatus.REFUND_DUE, paid_at=utcnow())
            refund = Refund(payment=payment, amount_vnd=150_000, reason=RefundReason.EVENT_CANCELLED)
            if index % 2:
                refund.state, refund.paid_back_by_id = RefundState.PAID_BACK, paid_back_by
                refund.paid_back_at, refund.bank_reference = utcnow(), f"FT{index}"
                payment.status = PaymentStatus.REFUNDED
            db.session.add(refund)
        db.session.commit()


def test_the_refund_and_transfer_lists_run_constant_queries(app, client, auth, count_queries, stripe_off):
    coordinator = make_user(app, roles=(Role.COORDINATOR,), locale="en")
    event_id, ticket_type_id = make_paid_event(app, capacity=1000)
    with app.app_context():
        slug = db.session.get(Event, event_id).slug
    auth.login(coordinator.email, coordinator.password)
    pages = (f"/payments/events/{slug}/refunds", "/payments/transfers?status=refund-due&per_page=100",
             "/payments/transfers?status=refunded&per_page=100")
    _seed_transfer_refunds(app, event_id, ticket_type_id, 4, coordinator.id)
    few = {}
    for page in pages:
        with count_queries() as counted:
            assert client.get(page).status_code == 200
        few[page] = len(counted)
    _seed_transfer_refunds(app, event_id, ticket_type_id, 60, coordinator.id)
    for page in pages:
        with count_queries() as counted:
            response = client.get(page)
        assert response.status_code == 200
        assert len(counted) == few[page], (page, few[page], len(counted))
    assert response.get_data(as_text=True).count("bank reference FT") == 32
