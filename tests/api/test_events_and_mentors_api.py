"""Events come from the events domain (published and cancelled only); mentors have no domain yet."""

from __future__ import annotations

import pytest

from ecosystem.events.models import Event
from ecosystem.extensions import db
from tests.api.conftest import ATTENDEE_EMAIL, BANK_ACCOUNT_NUMBER
from tests.factories.users import DEFAULT_PASSWORD

EVENTS = "/api/v1/events"


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["slug"] for item in response.get_json()["items"]]


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds")


def test_the_list_shows_upcoming_public_events_soonest_first(client, event_catalogue):
    c = event_catalogue
    response = client.get(EVENTS)
    assert _slugs(response) == [c.online.slug, c.cancelled.slug, c.techfest.slug]
    body = response.get_json()
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (3, 1, 20, 1)
    assert body["links"]["self"] == "http://localhost/api/v1/events?sort=soonest&per_page=20&page=1"
    text = response.get_data(as_text=True)
    for secret in (c.draft.slug, "Bản nháp Bí Mật", BANK_ACCOUNT_NUMBER, "SO KHOA HOC", ATTENDEE_EMAIL,
                   "Lê Thị Tham Dự", "meet.example.vn"):
        assert secret not in text


def test_an_event_shows_its_public_fields(app, client, event_catalogue):
    c = event_catalogue
    with app.app_context():
        event = db.session.get(Event, c.techfest.id)
        starts_at, ends_at, updated_at = event.starts_at, event.ends_at, event.updated_at
    [item] = client.get(f"{EVENTS}?kind=techfest").get_json()["items"]
    assert item == {
        "slug": c.techfest.slug,
        "title": "Techfest Thái Nguyên 2026",
        "summary": "Ngày hội khởi nghiệp đổi mới sáng tạo của tỉnh.",
        "kind": "techfest",
        "status": "published",
        "starts_at": _iso(starts_at),
        "ends_at": _iso(ends_at),
        "venue_name": "Nhà văn hoá Đại Từ",
        "address": "Tổ dân phố Đình",
        "locality": "Xã Đại Từ",
        "online": False,
        "url": f"http://localhost/events/{c.techfest.slug}",
        "ics_url": f"http://localhost/events/{c.techfest.slug}.ics",
        "cover_url": None,
        "price_min_vnd": 0,
        "price_max_vnd": 500_000,
        "seats_left": 29,  # the overall capacity (30) less the one attendee
        "registration_open": True,
    }
    assert item["starts_at"].endswith("+00:00")
    detail = client.get(f"{EVENTS}/{c.techfest.slug}")
    assert detail.status_code == 200
    assert detail.get_json() == item
    assert detail.last_modified == updated_at.replace(microsecond=0)
    assert client.get(f"{EVENTS}/{c.techfest.slug}",
                      headers={"If-None-Match": detail.headers["ETag"]}).status_code == 304
    assert client.get(item["ics_url"]).status_code == 200


def test_online_paid_and_cancelled_events(client, event_catalogue):
    c = event_catalogue
    online = client.get(f"{EVENTS}/{c.online.slug}").get_json()
    assert (online["online"], online["venue_name"], online["address"], online["locality"]) == (True, None, None, None)
    assert (online["price_min_vnd"], online["price_max_vnd"], online["seats_left"]) == (150_000, 150_000, 100)
    assert online["registration_open"] is False  # opens in two days
    cancelled = client.get(f"{EVENTS}/{c.cancelled.slug}").get_json()
    assert cancelled["status"] == "cancelled"
    assert (cancelled["ics_url"], cancelled["seats_left"], cancelled["registration_open"]) == (None, None, False)
    assert (cancelled["price_min_vnd"], cancelled["price_max_vnd"]) == (0, 0)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=techfest", ["techfest"]),
        ("kind=conference", []),  # the only conference is a draft
        ("when=past", ["past"]),
        ("when=upcoming&sort=latest", ["techfest", "cancelled", "online"]),
        ("q=techfest", ["techfest"]),
        ("q=TECHFEST+thai+nguyen&sort=soonest", ["techfest"]),
        ("q=goi+von", ["online", "cancelled"]),  # relevance (title matches first), then soonest
        ("q=ban+nhap", []),
        ("locality=LOCALITY", ["techfest"]),
        ("locality=999999999", []),
        ("per_page=1&page=2", ["cancelled"]),
        ("page=9", []),
    ],
)
def test_facets_search_and_sorts(client, event_catalogue, query, expected):
    c = event_catalogue
    slug_of = {"techfest": c.techfest.slug, "online": c.online.slug, "cancelled": c.cancelled.slug,
               "past": c.past.slug}
    query = query.replace("LOCALITY", str(c.locality_id))
    assert _slugs(client.get(f"{EVENTS}?{query}")) == [slug_of[name] for name in expected]


def test_the_links_keep_the_facets(client, event_catalogue):
    body = client.get(f"{EVENTS}?q=goi+von&kind=workshop&per_page=1").get_json()
    assert body["links"]["self"] == (
        "http://localhost/api/v1/events?q=goi+von&kind=workshop&sort=relevance&per_page=1&page=1"
    )
    assert body["links"]["next"] is None and body["total"] == 1


def test_a_draft_is_not_found_even_for_its_organisers(client, auth, event_catalogue):
    c = event_catalogue
    expected = {"error": {"code": 404, "message": "There is no published event at this address."}}
    for slug in (c.draft.slug, "techfest-thai-nguyen-1999", "x" * 200):
        response = client.get(f"{EVENTS}/{slug}")
        assert (response.status_code, response.get_json()) == (404, expected)
    auth.login("su.kien@example.com", DEFAULT_PASSWORD)
    assert client.get(f"{EVENTS}/{c.draft.slug}").status_code == 404
    assert c.draft.slug not in client.get(f"{EVENTS}?per_page=100").get_data(as_text=True)


def test_an_empty_list_has_no_last_modified(client):
    response = client.get(EVENTS)
    assert response.get_json()["items"] == [] and response.get_json()["total"] == 0
    assert "ETag" in response.headers and "Last-Modified" not in response.headers


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("kind=party", "kind"),
        ("kind=", "kind"),
        ("when=soon", "when"),
        ("locality=abc", "locality"),
        ("locality=-1", "locality"),
        ("locality=1234567890", "locality"),
        ("sort=password", "password"),
        ("sort=upcoming", "upcoming"),
        ("per_page=100000", "per_page"),
        ("per_page=0", "per_page"),
        ("page=abc", "page"),
        ("page=-1", "page"),
        ("q=" + "a" * 10_000, "200"),
    ],
)
def test_bad_event_parameters_are_a_400(client, query, fragment):
    response = client.get(f"{EVENTS}?{query}")
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]["message"]


def test_unicode_and_control_characters_in_a_search_are_harmless(client, event_catalogue):
    assert _slugs(client.get(f"{EVENTS}?q=Techfest%00%E2%80%A8Th%C3%A1i")) == [event_catalogue.techfest.slug]
    assert client.get(f"{EVENTS}?q=%F0%9F%9A%80").status_code == 200  # no letters: no words to match


# --- mentors: no domain yet ---------------------------------------------------------------------------


def test_mentors_are_an_empty_list_in_the_usual_envelope(client):
    response = client.get("/api/v1/mentors")
    assert response.status_code == 200
    assert response.get_json() == {
        "items": [],
        "page": 1,
        "per_page": 20,
        "total": 0,
        "pages": 1,
        "links": {"self": "http://localhost/api/v1/mentors?sort=name&per_page=20&page=1", "next": None,
                  "prev": None},
    }
    assert "ETag" in response.headers and "Last-Modified" not in response.headers


def test_valid_mentor_parameters_are_accepted(client):
    response = client.get("/api/v1/mentors?q=nong+nghiep&sector=agritech&language=en&sort=newest&per_page=100")
    assert response.status_code == 200
    assert response.get_json()["items"] == []


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("sector=astrology", "sector"),
        ("language=klingon", "language"),
        ("sort=password", "password"),
        ("page=-1", "page"),
    ],
)
def test_bad_mentor_parameters_are_a_400(client, query, fragment):
    response = client.get(f"/api/v1/mentors?{query}")
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]["message"]


def test_the_event_and_mentor_schemas_are_documented(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    event = schemas["Event"]
    assert event["additionalProperties"] is False
    assert set(event["properties"]) == set(event["required"]) == {
        "slug", "title", "summary", "kind", "status", "starts_at", "ends_at", "venue_name", "address", "locality",
        "online", "url", "ics_url", "cover_url", "price_min_vnd", "price_max_vnd", "seats_left",
        "registration_open",
    }
    properties = event["properties"]
    assert properties["starts_at"] == {"type": "string", "format": "date-time"}
    assert properties["price_min_vnd"]["type"] == "integer" and properties["seats_left"]["type"] == ["integer", "null"]
    assert properties["status"]["enum"] == ["published", "cancelled"]
    mentor = schemas["Mentor"]["properties"]
    assert {"id", "name", "expertise", "sectors", "languages"} <= set(mentor)
    assert schemas["EventList"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Event"}
    assert schemas["MentorList"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Mentor"}
