"""HTTP behaviour of the API: CORS, caching validators and 304s, error format, methods, rate limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.http import http_date, parse_date

from ecosystem.extensions import db
from ecosystem.startups.models import Startup

LIST = "/api/v1/startups"


# --- CORS -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [LIST, "/api/v1/openapi.json", "/api/v1/startups/nobody", "/api/v1/events?page=x"])
def test_every_answer_allows_any_origin(client, path):
    response = client.get(path, headers={"Origin": "https://ban-do-khoi-nghiep.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("path", [LIST, "/api/v1/startups/any-slug", "/api/v1/directory", "/api/v1/mentors"])
def test_a_preflight_request_is_answered(client, path):
    response = client.options(path, headers={
        "Origin": "https://ban-do-khoi-nghiep.example",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match",
    })
    assert response.status_code == 200
    headers = response.headers
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in headers["Access-Control-Allow-Methods"] and "POST" not in headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in headers["Access-Control-Allow-Headers"]
    assert int(headers["Access-Control-Max-Age"]) > 0


def test_html_pages_get_no_cors_headers(client):
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


# --- caching --------------------------------------------------------------------------------------------


def test_answers_are_cacheable_with_validators(client, catalogue):
    response = client.get(LIST)
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["ETag"].startswith('"')
    with client.application.app_context():
        latest = max(startup.updated_at for startup in db.session.scalars(db.select(Startup).where(Startup.is_public)))
    assert parse_date(response.headers["Last-Modified"]) == latest.replace(microsecond=0)


def test_if_none_match_gives_a_304_until_the_data_changes(app, client, catalogue):
    first = client.get(LIST)
    etag = first.headers["ETag"]
    again = client.get(LIST, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert client.get(LIST, headers={"If-None-Match": f'W/{etag}'}).status_code == 304  # weak comparison
    assert client.get(LIST + "?per_page=2", headers={"If-None-Match": etag}).status_code == 200  # another body
    with app.app_context():
        startup = db.session.get(Startup, catalogue.tra_tan_cuong.id)
        startup.tagline = "Trà ngon Tân Cương"
        db.session.commit()
    changed = client.get(LIST, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_if_modified_since_gives_a_304(app, client, catalogue):
    path = f"/api/v1/startups/{catalogue.nong_san.slug}"
    last_modified = client.get(path).headers["Last-Modified"]
    assert client.get(path, headers={"If-Modified-Since": last_modified}).status_code == 304
    earlier = http_date(parse_date(last_modified) - timedelta(seconds=1))
    assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200
    assert client.get(path, headers={"If-Modified-Since": "not a date"}).status_code == 200
    with app.app_context():
        startup = db.session.get(Startup, catalogue.nong_san.id)
        startup.updated_at = datetime.now(UTC) + timedelta(minutes=5)
        db.session.commit()
    assert client.get(path, headers={"If-Modified-Since": last_modified}).status_code == 200


def test_the_detail_of_a_component_has_validators_too(client, catalogue):
    response = client.get(f"/api/v1/directory/{catalogue.incubator.slug}")
    assert response.headers["Last-Modified"] and response.headers["ETag"]
    assert client.get(
        f"/api/v1/directory/{catalogue.incubator.slug}", headers={"If-None-Match": response.headers["ETag"]}
    ).status_code == 304


def test_a_head_request_has_the_headers_and_no_body(client, catalogue):
    response = client.head(LIST)
    assert response.status_code == 200 and response.get_data() == b""
    assert response.headers["ETag"] == client.get(LIST).headers["ETag"]


# --- errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_a_405_in_the_error_format(client, method):
    response = getattr(client, method)(LIST, json={"name": "x"})
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_a_post_is_not_refused_for_csrf_but_for_the_method(client):
    response = client.post("/api/v1/startups/some-slug", data={"a": "b"})
    assert response.status_code == 405


def test_an_unknown_api_path_is_a_404_in_the_error_format(client):
    response = client.get("/api/v1/investors", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == 404


def test_a_server_error_is_a_500_in_the_error_format():
    from ecosystem import create_app

    fresh_app = create_app("testing", {"PROPAGATE_EXCEPTIONS": False})

    @fresh_app.get("/api/v1/_test/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = fresh_app.test_client().get("/api/v1/_test/boom")
    assert response.status_code == 500
    body = response.get_json()
    assert body["error"]["code"] == 500 and body["error"]["message"]
    assert "secret" not in response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_error_messages_are_written_without_escapes(client):
    text = client.get("/api/v1/nothing-here").get_data(as_text=True)
    assert "\\u" not in text  # the default (Vietnamese) message, as it is


# --- rate limit -----------------------------------------------------------------------------------------


def test_the_rate_limit_is_generous_shared_and_answers_json(app, client):
    assert client.get(LIST).headers["X-RateLimit-Limit"] == "300"
    default_limit = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [client.get(path).status_code for path in (LIST, "/api/v1/directory", "/api/v1/events")]
        refused = client.get("/api/v1/mentors")
    finally:
        app.config["API_RATE_LIMIT"] = default_limit
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == 429
    assert "Retry-After" in refused.headers
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
