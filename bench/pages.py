"""Page benchmarks: latency percentiles and SQL statements per request, in process.

    make bench                      # SQLite
    make bench BENCH_DB=postgresql://postgres@127.0.0.1:5432/test

Each page is requested BENCH_REQUESTS times (default 300) after a warm-up,
through the WSGI app (no network), so the numbers measure the application:
routing, queries, templates. Compare runs on the same machine only.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from ecosystem import create_app  # noqa: E402
from ecosystem.auth.demo import DEMO_PASSWORD  # noqa: E402
from ecosystem.demo import seed_demo  # noqa: E402
from ecosystem.extensions import db  # noqa: E402

PAGES = [
    ("home (visitor)", "/", False),
    ("health check", "/healthz", False),
    ("login form", "/auth/login", False),
    ("home (signed in)", "/", True),
    ("account settings", "/auth/settings", True),
    ("users admin list", "/auth/admin/users", True),
    ("startups list", "/startups/", False),
    ("startups search", "/startups/?q=che+tan+cuong", False),
    ("directory list", "/directory/", False),
    ("clubs list", "/clubs/", False),
    ("events list", "/events/", False),
    ("techfest calls", "/techfest/", False),
    ("techfest call", "/techfest/techfest-viet-nam-2022", False),
    ("techfest review", "/techfest/techfest-viet-nam-2022/review", True),
    ("techfest roster", "/techfest/techfest-viet-nam-2022/roster", True),
    ("techfest logistics", "/techfest/techfest-viet-nam-2022/logistics", True),
    ("roster XLSX", "/techfest/techfest-viet-nam-2022/roster.xlsx", True),
    ("API startups", "/api/v1/startups", False),
    ("API events", "/api/v1/events", False),
]


def build_app():
    database = os.environ.get("BENCH_DB")
    overrides = {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    if database:
        overrides["SQLALCHEMY_DATABASE_URI"] = database.replace("postgresql://", "postgresql+psycopg://", 1)
    else:
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app("testing", overrides)
    with app.app_context():
        db.drop_all()
        db.create_all()
        with app.test_request_context():
            seed_demo()
    return app


def measure(app, client, path: str, requests: int) -> tuple[list[float], float]:
    statements = 0

    def count(*_args):
        nonlocal statements
        statements += 1

    for _ in range(20):
        client.get(path)
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    sa.event.remove(engine, "before_cursor_execute", count)
    return timings, statements / requests


def main() -> None:
    requests = int(os.environ.get("BENCH_REQUESTS", "300"))
    app = build_app()
    visitor, member = app.test_client(), app.test_client()
    member.post("/auth/login", data={"email": "admin@demo.example", "password": DEMO_PASSWORD})
    print(f"{'page':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'SQL/req':>8}")
    for label, path, signed_in in PAGES:
        timings, queries = measure(app, member if signed_in else visitor, path, requests)
        p95 = statistics.quantiles(timings, n=20)[-1]
        rate = 1000 / statistics.mean(timings)
        print(f"{label:<22} {rate:>8.0f} {statistics.median(timings):>8.2f} {p95:>8.2f} {queries:>8.1f}")


if __name__ == "__main__":
    main()
