"""Configuration classes. Secrets come only from the environment."""

from __future__ import annotations

import os
import secrets
import shlex
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ECOSYSTEM_INSTANCE_DIR", BASE_DIR / "instance"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _development_secret_key() -> str:
    """A random key kept under instance/ so development sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _server_workers() -> int:
    """How many worker processes serve the application, as far as it can tell: gunicorn's `-w`/`--workers`
    (on its command line or in GUNICORN_CMD_ARGS), else WEB_CONCURRENCY (gunicorn's default), else 1."""
    counts = [_env_int("WEB_CONCURRENCY", 1)]
    arguments = shlex.split(os.environ.get("GUNICORN_CMD_ARGS", ""))
    if Path(sys.argv[0]).name.startswith("gunicorn"):
        arguments += sys.argv[1:]
    for index, argument in enumerate(arguments):
        value = None
        if argument in ("-w", "--workers") and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith("--workers="):
            value = argument.split("=", 1)[1]
        elif argument.startswith("-w") and len(argument) > 2:
            value = argument[2:]
        if value is not None and value.isdigit():
            counts.append(int(value))
    return max(counts)


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs and plain postgresql:// must use the psycopg 3 driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'ecosystem.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    # Public address used in links inside e-mails, e.g. https://khoinghiep.thainguyen.gov.vn.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    # Host names this site answers to (comma-separated); other Host headers get a 400.
    TRUSTED_HOSTS = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",") if host.strip()] or None
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("vi", "en")

    # Uploaded images (re-encoded, random names); put it on a persistent volume in production.
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600

    # Mail: when MAIL_SERVER is empty, messages are written to the log instead of sent (production
    # refuses that unless MAIL_SUPPRESS says so: reset links must not silently go to a log).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_SUPPRESS = _env_bool("MAIL_SUPPRESS", False)
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Hệ sinh thái khởi nghiệp Thái Nguyên <no-reply@ecosystem.local>"
    )
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 10)
    # "inprocess": a thread inside the web process drains the outbox (embedded default);
    # "worker": a separate `flask outbox run` process does it (production).
    OUTBOX_MODE = os.environ.get("OUTBOX_MODE", "worker")
    OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_BACKOFF_SECONDS = _env_int("OUTBOX_BACKOFF_SECONDS", 60)
    OUTBOX_POLL_SECONDS = _env_int("OUTBOX_POLL_SECONDS", 5)

    EMAIL_CONFIRM_MAX_AGE = _env_int("EMAIL_CONFIRM_MAX_AGE", 3 * 24 * 3600)
    PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MAX_AGE", 3600)

    # Rate limits (Flask-Limiter). Memory by default; REDIS_URL shares them between workers.
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    # Production refuses in-memory limits with several workers (each would count alone) unless this is set.
    RATELIMIT_ALLOW_MEMORY = _env_bool("RATELIMIT_ALLOW_MEMORY", False)
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins per address and client IP, and per client IP overall (a campus NAT
    # shares one IP, so that limit is wider). Only failures count.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour")
    LOGIN_IP_RATE_LIMIT = os.environ.get("LOGIN_IP_RATE_LIMIT", "30 per minute;300 per hour")
    # Accepted requests that send e-mail (sign-up, reset, resend) per client IP.
    MAIL_RATE_LIMIT = os.environ.get("MAIL_RATE_LIMIT", "10 per minute;60 per hour")
    # Requests to the public JSON API per client IP.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")

    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY")
    # Where the stripe library and the payment page's Stripe.js come from (tests: localstripe on loopback).
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
    STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")

    # The issuing body of the department's documents (the Techfest decision letter); unset: Thái Nguyên's
    # Department of Science and Technology (ecosystem/delegations/letters.py).
    DEPARTMENT_PARENT = os.environ.get("DEPARTMENT_PARENT")
    DEPARTMENT_NAME = os.environ.get("DEPARTMENT_NAME")
    DEPARTMENT_SYMBOL = os.environ.get("DEPARTMENT_SYMBOL")
    DEPARTMENT_PLACE = os.environ.get("DEPARTMENT_PLACE")
    DEPARTMENT_NAME_IN_TEXT = os.environ.get("DEPARTMENT_NAME_IN_TEXT")
    PROVINCE_IN_TEXT = os.environ.get("PROVINCE_IN_TEXT")
    # A seat awaiting a bank transfer (Stripe off) is held this many hours; a card payment's hold is minutes.
    TRANSFER_HOLD_HOURS = _env_int("TRANSFER_HOLD_HOURS", 72)
    # Card refunds are made by the worker: a failed Stripe call is retried after REFUND_BACKOFF_SECONDS,
    # doubled after each failure, and the refund is marked failed (shown to the organiser) after the last attempt.
    REFUND_MAX_ATTEMPTS = _env_int("REFUND_MAX_ATTEMPTS", 8)
    REFUND_BACKOFF_SECONDS = _env_int("REFUND_BACKOFF_SECONDS", 60)

    @classmethod
    def prepare(cls, config: dict) -> None:
        """Fill derived settings; refuse to start with a configuration that cannot run safely."""


class DevelopmentConfig(Config):
    DEBUG = False
    OUTBOX_MODE = os.environ.get("OUTBOX_MODE", "inprocess")

    @classmethod
    def prepare(cls, config: dict) -> None:
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = _development_secret_key()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 - fixed for reproducible tests
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    MAIL_SERVER = ""
    OUTBOX_MODE = "worker"
    OUTBOX_BACKOFF_SECONDS = 60
    RATELIMIT_STORAGE_URI = "memory://"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def prepare(cls, config: dict) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production configuration needs these environment variables: " + ", ".join(missing)
            )
        config["SECRET_KEY"] = config.get("SECRET_KEY") or os.environ["SECRET_KEY"]
        config["PUBLIC_BASE_URL"] = config.get("PUBLIC_BASE_URL") or os.environ["PUBLIC_BASE_URL"]
        workers = _server_workers()
        if (
            config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://")
            and workers > 1
            and not config.get("RATELIMIT_ALLOW_MEMORY")
        ):
            raise RuntimeError(
                f"{workers} workers would each keep their own rate limits in memory (an attacker gets {workers} "
                "times the login attempts): set REDIS_URL, or RATELIMIT_ALLOW_MEMORY=1 to accept it."
            )
        if not config.get("MAIL_SERVER") and not config.get("MAIL_SUPPRESS"):
            raise RuntimeError(
                "MAIL_SERVER is not set: confirmation and password reset e-mails would only be written to the "
                "log. Set MAIL_SERVER, or MAIL_SUPPRESS=1 to accept that."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
