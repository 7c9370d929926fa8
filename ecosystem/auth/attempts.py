"""Limits on failed attempts (login, password reset, password change), per address and IP and per IP, and on
requests that send e-mail (sign-up, reset, resend), per IP.

A request is counted BEFORE it is handled, atomically in the limiter's storage (memory or Redis), and given
back when it turns out not to count (a successful login; a sign-up form refused before any mail). Counting
after the response (Flask-Limiter's `deduct_when`) lets parallel requests through: they all pass the check
before any of them is counted.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, make_response, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.strategies import FixedWindowRateLimiter

from ecosystem.auth.services import normalize_email
from ecosystem.extensions import limiter

# Tests switch this off for the negative control: the old way (check first, count refusals afterwards).
COUNT_UP_FRONT = True


def address_and_ip() -> str:
    """The client IP with the account tried: the e-mail entered, or the reset link's token."""
    account = normalize_email(request.form.get("email", ""))[:254]
    account = account or (request.view_args or {}).get("token", "")
    return f"{get_remote_address()}|{account[:300]}"


def succeeded(response) -> bool:
    """The views answer a successful attempt with a redirect, a refused one with the form again."""
    return response.status_code == 302


Counters = list[tuple[RateLimitItem, tuple[str, ...]]]


def _counters(setting: str, name: str, key: str) -> Counters:
    config = current_app.config
    prefix = config.get("RATELIMIT_KEY_PREFIX") or "ecosystem"
    return [(item, (prefix, name, key, request.endpoint or "")) for item in parse_many(config[setting])]


def _attempt_counters() -> Counters:
    return (_counters("LOGIN_RATE_LIMIT", "attempts", address_and_ip())
            + _counters("LOGIN_IP_RATE_LIMIT", "attempts-ip", get_remote_address()))


def _mail_counters() -> Counters:
    return _counters("MAIL_RATE_LIMIT", "mail-ip", get_remote_address())


def _limited_up_front(counters: Callable[[], Counters], given_back: Callable[[object], bool]):
    """Refuse (429) a POST once one of `counters` is full; count it first, give it back when `given_back`."""

    def decorator(view):
        @wraps(view)
        def limited(*args, **kwargs):
            if request.method != "POST" or not current_app.config.get("RATELIMIT_ENABLED", True):
                return view(*args, **kwargs)
            items = counters()
            # A fixed window can give a request back (the counter is decremented); the storage is shared.
            strategy = FixedWindowRateLimiter(limiter.storage)
            if COUNT_UP_FRONT:
                allowed = [strategy.hit(item, *keys) for item, keys in items]  # every counter counts it
                if not all(allowed):
                    abort(429)
                response = make_response(view(*args, **kwargs))
                if given_back(response):
                    for item, keys in items:
                        strategy.hit(item, *keys, cost=-1)
                return response
            if not all(strategy.test(item, *keys) for item, keys in items):
                abort(429)
            response = make_response(view(*args, **kwargs))
            if not given_back(response):
                for item, keys in items:
                    strategy.hit(item, *keys)
            return response

        return limited

    return decorator


# Failed logins (or reset submissions, password changes): LOGIN_RATE_LIMIT for this account and IP,
# LOGIN_IP_RATE_LIMIT for this IP. A successful attempt is given back.
limit_failed_attempts = _limited_up_front(_attempt_counters, succeeded)

# Accepted requests that send e-mail: MAIL_RATE_LIMIT for this IP. A refused form (no mail) is given back.
limit_mail_sending = _limited_up_front(_mail_counters, lambda response: not succeeded(response))
