import pytest
import redis

import config
from ecosystem import create_app


def test_production_refuses_to_start_without_secret_key_and_database(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL, PUBLIC_BASE_URL"):
        create_app("production")


def test_production_sets_secure_cookies_and_hsts(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://khoinghiep.example.vn")
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
                                    "MAIL_SERVER": "smtp.example.vn"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/auth/login", base_url="https://localhost")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]


def test_database_urls_use_psycopg_3():
    assert config._database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config._database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config._database_url("sqlite:///x.db") == "sqlite:///x.db"


def redis_answers() -> bool:
    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_timeout=1).ping()
    except redis.RedisError:
        return False


def test_rate_limits_are_shared_through_redis_when_configured(smtp_server):
    """Two app processes (here two app objects) share one limit when REDIS_URL is set."""
    if not redis_answers():
        if config.os.environ.get("CI"):
            pytest.fail("Redis was expected at 127.0.0.1:6379 on CI")
        pytest.skip("needs Redis at 127.0.0.1:6379")
    redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()
    overrides = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15", "WTF_CSRF_ENABLED": False,
                 "LOGIN_RATE_LIMIT": "3 per minute"}
    first, second = create_app("testing", overrides), create_app("testing", overrides)
    for application in (first, second):
        with application.app_context():
            from ecosystem.extensions import db

            db.create_all()
    bad_login = {"email": "x@example.com", "password": "wrong-password"}
    statuses = [first.test_client().post("/auth/login", data=bad_login).status_code for _ in range(2)]
    statuses += [second.test_client().post("/auth/login", data=bad_login).status_code for _ in range(2)]
    assert statuses == [422, 422, 422, 429]


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    """The three required variables set; the server's worker settings cleared."""
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://khoinghiep.example.vn")
    for name in ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config.sys, "argv", ["flask"])
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite3'}", "MAIL_SERVER": "smtp.example.vn"}


@pytest.mark.parametrize(
    ("variable", "value", "argv"),
    [
        ("WEB_CONCURRENCY", "4", ["flask"]),
        ("GUNICORN_CMD_ARGS", "--bind 0.0.0.0:8000 --workers 3", ["flask"]),
        ("GUNICORN_CMD_ARGS", "-w2", ["flask"]),
        (None, None, ["/usr/bin/gunicorn", "-w", "4", "wsgi:app"]),
        (None, None, ["gunicorn", "--workers=4", "wsgi:app"]),
    ],
)
def test_production_refuses_in_memory_rate_limits_with_several_workers(production_env, monkeypatch, variable,
                                                                        value, argv):
    if variable:
        monkeypatch.setenv(variable, value)
    monkeypatch.setattr(config.sys, "argv", argv)
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        create_app("production", production_env)
    # Redis, or saying so explicitly, lets it start.
    config.ProductionConfig.prepare({**production_env, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"})
    assert create_app("production", {**production_env, "RATELIMIT_ALLOW_MEMORY": True})


def test_production_with_one_worker_may_keep_rate_limits_in_memory(production_env, monkeypatch):
    monkeypatch.setattr(config.sys, "argv", ["gunicorn", "-w", "1", "wsgi:app"])
    assert create_app("production", production_env).config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_production_refuses_to_start_without_a_mail_server_unless_mail_is_suppressed(production_env):
    without_mail = {**production_env, "MAIL_SERVER": ""}
    with pytest.raises(RuntimeError, match="MAIL_SUPPRESS"):
        create_app("production", without_mail)
    assert create_app("production", {**without_mail, "MAIL_SUPPRESS": True})

