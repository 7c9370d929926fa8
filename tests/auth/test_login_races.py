"""The login rate limit holds against parallel requests: 25 real threads post wrong passwords at once and at
most the limit (5 per minute) get an answer other than 429. In memory and in Redis, with a negative control."""

import os
import threading
import time
import uuid
from functools import partial

import pytest
import redis
from limits.storage import storage_from_string

from ecosystem.auth import attempts, services
from ecosystem.extensions import limiter
from tests.concurrency import race
from tests.conftest import csrf_token_from
from tests.factories import make_user

pytestmark = [pytest.mark.postgresql, pytest.mark.committing]

THREADS = 25
LIMIT = 5  # LOGIN_RATE_LIMIT's first window: 5 per minute per address and IP


def post_wrong_passwords_at_once(app, email: str, count: int = THREADS) -> list[int]:
    """Each thread is a browser of its own (its own CSRF token); all post at the same moment."""
    clients = [app.test_client() for _ in range(count)]
    tokens = [csrf_token_from(client.get("/auth/login").get_data(as_text=True)) for client in clients]
    start = threading.Barrier(count)
    statuses: list[int] = []
    errors: list[Exception] = []

    def attempt(client, token: str, number: int) -> None:
        try:
            start.wait(30)
            response = client.post(
                "/auth/login", data={"csrf_token": token, "email": email, "password": f"wrong-password-{number}"}
            )
            statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    race(*[partial(attempt, client, token, number)
           for number, (client, token) in enumerate(zip(clients, tokens, strict=True))], timeout=120)
    assert errors == []
    assert len(statuses) == count
    return statuses


@pytest.fixture
def slow_password_check(monkeypatch):
    """Widen the window between the limit's check and the answer, as a busy server would."""
    authenticate = services.authenticate

    def slow(email, password):
        time.sleep(0.05)
        return authenticate(email, password)

    monkeypatch.setattr(services, "authenticate", slow)


def redis_storage():
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis was expected at 127.0.0.1:6379 on CI")
        pytest.skip("needs Redis at 127.0.0.1:6379")
    return storage_from_string("redis://127.0.0.1:6379/15")


@pytest.fixture(params=["memory", "redis"])
def storage(request, app, monkeypatch):
    """The limiter's own storage (memory, as configured for tests) or Redis under a key prefix of its own."""
    if request.param == "redis":
        monkeypatch.setattr(limiter, "_storage", redis_storage())
        monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"test-{uuid.uuid4().hex}")
    return request.param


def test_parallel_wrong_passwords_get_at_most_the_limit_through(app, storage, slow_password_check):
    user = make_user(app)
    statuses = post_wrong_passwords_at_once(app, user.email)
    assert sorted(statuses) == [422] * LIMIT + [429] * (THREADS - LIMIT)
    # The right password is refused too until the window ends.
    assert post_wrong_passwords_at_once(app, user.email, count=1) == [429]


def test_negative_control_counting_after_the_answer_lets_more_through(app, storage, slow_password_check,
                                                                      monkeypatch):
    """The old way (Flask-Limiter's deduct_when: check first, count the refusal after the response)."""
    monkeypatch.setattr(attempts, "COUNT_UP_FRONT", False)
    user = make_user(app)
    statuses = post_wrong_passwords_at_once(app, user.email)
    assert statuses.count(422) > LIMIT, statuses


MAIL_LIMIT = 10  # MAIL_RATE_LIMIT's first window: 10 per minute per IP


def post_reset_requests_at_once(app, count: int = THREADS) -> list[int]:
    clients = [app.test_client() for _ in range(count)]
    tokens = [csrf_token_from(client.get("/auth/reset").get_data(as_text=True)) for client in clients]
    start = threading.Barrier(count)
    statuses: list[int] = []

    def attempt(client, token: str, number: int) -> None:
        start.wait(30)
        statuses.append(client.post("/auth/reset", data={"csrf_token": token,
                                                         "email": f"someone{number}@example.com"}).status_code)

    race(*[partial(attempt, client, token, number)
           for number, (client, token) in enumerate(zip(clients, tokens, strict=True))], timeout=120)
    assert len(statuses) == count
    return statuses


@pytest.fixture
def slow_reset(monkeypatch):
    request_reset = services.request_password_reset

    def slow(email):
        time.sleep(0.05)
        return request_reset(email)

    monkeypatch.setattr(services, "request_password_reset", slow)


def test_parallel_reset_requests_send_at_most_the_mail_limit(app, storage, slow_reset):
    statuses = post_reset_requests_at_once(app)
    assert sorted(statuses) == [302] * MAIL_LIMIT + [429] * (THREADS - MAIL_LIMIT)


def test_negative_control_counting_accepted_mail_after_the_answer_lets_more_through(app, storage, slow_reset,
                                                                                   monkeypatch):
    monkeypatch.setattr(attempts, "COUNT_UP_FRONT", False)
    statuses = post_reset_requests_at_once(app)
    assert statuses.count(302) > MAIL_LIMIT, statuses
