"""GET /api/v1/directory and /api/v1/directory/<slug>: approved components only."""

from __future__ import annotations

import pytest

from tests.factories import locality_id


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.get_json()["items"]]


def test_only_approved_components_are_listed(client, catalogue):
    response = client.get("/api/v1/directory")
    assert response.status_code == 200
    body = response.get_json()
    assert sorted(slugs(response)) == sorted([catalogue.incubator.slug, catalogue.fund.slug])
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (2, 1, 20, 1)
    text = response.get_data(as_text=True)
    assert "Chờ Duyệt" not in text and "Bị Từ Chối" not in text


def test_an_item(client, catalogue):
    items = client.get("/api/v1/directory?kind=incubator").get_json()["items"]
    assert len(items) == 1
    item = items[0]
    assert item["name"] == "Vườn ươm Đại học Thái Nguyên" and item["kind"] == "incubator"
    assert item["url"] == f"http://localhost/directory/{catalogue.incubator.slug}"
    assert item["services"] == [
        {"slug": "dao-tao-khoi-nghiep", "name": "Đào tạo khởi nghiệp"},
        {"slug": "uom-tao", "name": "Ươm tạo"},
    ]
    assert item["locality"] == "Phường Quyết Thắng" and item["contact_email"] == "vuonuom@tnu.edu.vn"
    assert "startups" not in item  # on the detail only


def test_pending_and_rejected_suggestions_are_not_found(client, catalogue):
    for ref in (catalogue.pending, catalogue.rejected):
        response = client.get(f"/api/v1/directory/{ref.slug}")
        assert response.status_code == 404
        assert response.get_json()["error"] == {
            "code": 404, "message": "There is no directory component at this address."
        }
    assert client.get("/api/v1/directory?q=cho+duyet").get_json()["total"] == 0


def test_the_detail_lists_public_supported_startups_only(client, catalogue):
    response = client.get(f"/api/v1/directory/{catalogue.incubator.slug}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["startups"] == [
        {"slug": catalogue.nong_san.slug, "name": "Nông sản Đại Từ",
         "url": f"http://localhost/startups/{catalogue.nong_san.slug}"}
    ]
    assert "Bí Mật" not in response.get_data(as_text=True)
    assert client.get(f"/api/v1/directory/{catalogue.fund.slug}").get_json()["startups"] == []


@pytest.mark.parametrize("query", ["vuon uom", "VƯỜN ƯƠM", "dai hoc thai nguyen", "uom tao"])
def test_search_is_accent_insensitive(client, catalogue, query):
    assert slugs(client.get("/api/v1/directory", query_string={"q": query})) == [catalogue.incubator.slug]


def test_search_finds_words_of_the_kind(client, catalogue):
    assert slugs(client.get("/api/v1/directory?q=dau+tu")) == [catalogue.fund.slug]


def test_facets(app, client, catalogue):
    assert slugs(client.get("/api/v1/directory?kind=investor")) == [catalogue.fund.slug]
    assert slugs(client.get("/api/v1/directory?kind=media")) == []
    assert slugs(client.get("/api/v1/directory?service=dau-tu-thien-than")) == [catalogue.fund.slug]
    quyet_thang = locality_id(app, "Phường Quyết Thắng")
    assert slugs(client.get(f"/api/v1/directory?locality={quyet_thang}")) == [catalogue.incubator.slug]
    # The API answers an empty list for a tag or a commune nobody has (the HTML page refuses it).
    assert slugs(client.get("/api/v1/directory?service=khong-ai-co")) == []
    assert slugs(client.get("/api/v1/directory?locality=987654")) == []


def test_pagination_and_sorts(client, catalogue):
    body = client.get("/api/v1/directory?per_page=1&sort=name").get_json()
    assert (body["total"], body["pages"]) == (2, 2)
    assert body["links"]["next"] == "http://localhost/api/v1/directory?sort=name&per_page=1&page=2"
    second = client.get(body["links"]["next"]).get_json()
    assert [item["slug"] for item in second["items"]] == [catalogue.incubator.slug]  # Q before V
    assert slugs(client.get("/api/v1/directory?sort=newest"))[0] == catalogue.fund.slug


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("kind=bank", "kind"),
        ("kind=", "kind"),
        ("service=Uom+Tao", "service"),
        ("service=" + "a" * 61, "service"),
        ("locality=x", "locality"),
        ("sort=password", "password"),
        ("sort=founded", "founded"),
        ("per_page=100000", "per_page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
    ],
)
def test_bad_parameters_are_a_400(client, query, fragment):
    response = client.get(f"/api/v1/directory?{query}")
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]["message"]
