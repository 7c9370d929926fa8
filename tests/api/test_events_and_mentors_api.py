"""Events and mentors have no domain yet: empty lists in the same envelope, parameters checked."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path, sort", [("/api/v1/events", "upcoming"), ("/api/v1/mentors", "name")])
def test_an_empty_list_in_the_usual_envelope(client, path, sort):
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_json() == {
        "items": [],
        "page": 1,
        "per_page": 20,
        "total": 0,
        "pages": 1,
        "links": {"self": f"http://localhost{path}?sort={sort}&per_page=20&page=1", "next": None, "prev": None},
    }
    assert "ETag" in response.headers and "Last-Modified" not in response.headers


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/events?q=techfest&kind=techfest&from=2026-01-01&to=2026-12-31&online=no&sort=latest&page=2",
        "/api/v1/mentors?q=nong+nghiep&sector=agritech&language=en&sort=newest&per_page=100",
    ],
)
def test_valid_parameters_are_accepted(client, query):
    response = client.get(query)
    assert response.status_code == 200
    assert response.get_json()["items"] == []


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("/api/v1/events?kind=party", "kind"),
        ("/api/v1/events?from=2026-02-30", "from"),
        ("/api/v1/events?from=20260101", "from"),
        ("/api/v1/events?to=tomorrow", "to"),
        ("/api/v1/events?online=maybe", "online"),
        ("/api/v1/events?sort=password", "password"),
        ("/api/v1/events?per_page=100000", "per_page"),
        ("/api/v1/events?page=abc", "page"),
        ("/api/v1/mentors?sector=astrology", "sector"),
        ("/api/v1/mentors?language=klingon", "language"),
        ("/api/v1/mentors?sort=password", "password"),
        ("/api/v1/mentors?page=-1", "page"),
    ],
)
def test_bad_parameters_are_a_400(client, query, fragment):
    response = client.get(query)
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]["message"]


def test_an_event_is_not_found_in_the_error_format(client):
    response = client.get("/api/v1/events/techfest-thai-nguyen-2026")
    assert response.status_code == 404
    assert response.get_json() == {"error": {"code": 404, "message": "There is no published event at this address."}}


def test_the_event_and_mentor_schemas_are_documented(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    event = schemas["Event"]["properties"]
    assert {"slug", "title", "kind", "starts_at", "ends_at", "venue", "is_online", "url", "price_min",
            "price_max", "currency"} <= set(event)
    assert event["starts_at"] == {"type": "string", "format": "date-time"}
    assert event["price_min"]["type"] == ["integer", "null"] and event["currency"] == {"type": "string", "const": "VND"}
    mentor = schemas["Mentor"]["properties"]
    assert {"id", "name", "expertise", "sectors", "languages"} <= set(mentor)
    assert schemas["EventList"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Event"}
    assert schemas["MentorList"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Mentor"}
