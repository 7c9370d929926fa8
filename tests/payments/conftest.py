"""Payment test fixtures: a real localstripe server on loopback, paid events, signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ecosystem.auth.models import User
from ecosystem.events.models import Event, EventKind, EventStatus, RegistrationStatus, TicketType
from ecosystem.events.registration import register
from ecosystem.events.registration_checks import AttendeeRequest
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow

WEBHOOK_SECRET = "whsec_test_ecosystem"  # noqa: S105 - test secret
LOCALSTRIPE = Path(sys.executable).with_name("localstripe")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe():
    """The localstripe server (PyPI `localstripe`) on a free loopback port; its base URL."""
    port = _free_port()
    command = [str(LOCALSTRIPE), "--port", str(port), "--from-scratch"]
    if not LOCALSTRIPE.exists():
        command = [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{base}/js.stripe.com/v3/", timeout=1):  # noqa: S310 - loopback
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("localstripe did not start")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def stripe_on(app, localstripe):
    """Stripe switched on and pointed at localstripe for one test."""
    settings = {
        "STRIPE_SECRET_KEY": "sk_test_ecosystem",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_ecosystem",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": localstripe,
        "STRIPE_JS_URL": f"{localstripe}/js.stripe.com/v3/",
    }
    saved = {name: app.config.get(name) for name in settings}
    app.config.update(settings)
    yield localstripe
    app.config.update(saved)


@pytest.fixture
def stripe_off(app):
    saved = {name: app.config.get(name) for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET")}
    app.config.update(STRIPE_SECRET_KEY=None, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET)
    yield
    app.config.update(saved)


@pytest.fixture(scope="session")
def payments_live_server(app):
    """The session app served on loopback, for localstripe's webhook deliveries."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="payments-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def register_webhook(localstripe_url: str, url: str, secret: str = WEBHOOK_SECRET) -> None:
    data = f"url={urllib.parse.quote(url, safe='')}&secret={secret}".encode()
    request = urllib.request.Request(f"{localstripe_url}/_config/webhooks/ecosystem", data=data, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - loopback
        pass


_counter = iter(range(1, 10**6))


def make_paid_event(app, price: int = 150_000, capacity: int = 10, refund_deadline=None, bank: bool = True,
                    starts_in: timedelta = timedelta(days=10)) -> tuple[int, int]:
    """A published event with one paid ticket type; returns (event id, ticket type id)."""
    n = next(_counter)
    now = utcnow()
    with app.app_context():
        event = Event(
            slug=f"hoi-thao-thanh-toan-{n}", title=f"Hội thảo gọi vốn {n}", kind=EventKind.WORKSHOP,
            status=EventStatus.PUBLISHED, starts_at=now + starts_in, ends_at=now + starts_in + timedelta(hours=3),
            refund_deadline=refund_deadline, search_name=f"hoi thao goi von {n}", search_text="hoi thao goi von",
            bank_bin="970415" if bank else None, bank_account_number="113366668888" if bank else None,
            bank_account_name="SO KHOA HOC CONG NGHE" if bank else None,
        )
        ticket_type = TicketType(name="Vé thường", price_vnd=price, capacity=capacity, per_person_limit=2)
        event.ticket_types.append(ticket_type)
        db.session.add(event)
        db.session.commit()
        return event.id, ticket_type.id


def make_awaiting(app, event_id: int, ticket_type_id: int, user_id: int) -> int:
    """Register `user_id`: a held seat awaiting payment. Returns the registration id."""
    with app.test_request_context():  # the e-mail it queues carries links to the site
        event = db.session.get(Event, event_id)
        user = db.session.get(User, user_id)
        order = register(event, user, [AttendeeRequest(user, ticket_type_id)])
        registration = order.registrations[0]
        assert registration.status == RegistrationStatus.AWAITING_PAYMENT
        return registration.id


def signed(payload: dict | bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[bytes, str]:
    """A webhook body and its Stripe-Signature header, signed as Stripe does."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={signature}"


def stripe_event(event_id: str, event_type: str, obj: dict) -> dict:
    return {"id": event_id, "object": "event", "type": event_type, "created": int(time.time()),
            "data": {"object": obj}, "api_version": "2020-08-27", "livemode": False}


def post_webhook(client, payload, header: str | None):
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Stripe-Signature"] = header
    return client.post("/payments/stripe/webhook", data=payload, headers=headers)
