"""Limits on failed attempts (login, password reset, password change), per address and IP and per IP.

An attempt is counted BEFORE the password is checked, atomically in the limiter's storage (memory or
Redis), and given back when it succeeds. Counting after the response (Flask-Limiter's `deduct_when`)
lets parallel requests through: they all pass the check before any of them is counted.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, make_response, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.strategies import FixedWindowRateLimiter

from ecosystem.extensions import limiter

# Tests switch this off for the negative control: the old way (check first, count refusals afterwards).
COUNT_UP_FRONT = True


def address_and_ip() -> str:
    """The client IP with the account tried: the e-mail entered, or the reset link's token."""
    from ecosystem.auth.services import normalize_email

    account = normalize_email(request.form.get("email", ""))[:254]
    account = account or (request.view_args or {}).get("token", "")
    return f"{get_remote_address()}|{account[:300]}"


def succeeded(response) -> bool:
    """The views answer a successful attempt with a redirect, a refused one with the form again."""
    return response.status_code == 302


def _counters() -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    config = current_app.config
    prefix = config.get("RATELIMIT_KEY_PREFIX") or "ecosystem"
    scope = request.endpoint or ""
    per_account = [(item, (prefix, "attempts", address_and_ip(), scope)) for item in
                   parse_many(config["LOGIN_RATE_LIMIT"])]
    per_ip = [(item, (prefix, "attempts-ip", get_remote_address(), scope)) for item in
              parse_many(config["LOGIN_IP_RATE_LIMIT"])]
    return per_account + per_ip


def limit_failed_attempts(view):
    """Refuse (429) a POST once the failed attempts reach LOGIN_RATE_LIMIT for this account and IP or
    LOGIN_IP_RATE_LIMIT for this IP."""

    @wraps(view)
    def limited(*args, **kwargs):
        if request.method != "POST" or not current_app.config.get("RATELIMIT_ENABLED", True):
            return view(*args, **kwargs)
        counters = _counters()
        # A fixed window can give an attempt back (the counter is decremented); the storage is shared.
        strategy = FixedWindowRateLimiter(limiter.storage)
        if COUNT_UP_FRONT:
            allowed = [strategy.hit(item, *keys) for item, keys in counters]  # every counter counts it
            if not all(allowed):
                abort(429)
            response = make_response(view(*args, **kwargs))
            if succeeded(response):
                for item, keys in counters:
                    strategy.hit(item, *keys, cost=-1)
            return response
        if not all(strategy.test(item, *keys) for item, keys in counters):
            abort(429)
        response = make_response(view(*args, **kwargs))
        if not succeeded(response):
            for item, keys in counters:
                strategy.hit(item, *keys)
        return response

    return limited
