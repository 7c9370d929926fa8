"""GET /api/v1/startups and /api/v1/startups/<slug>: envelope, search, facets, visibility."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import PRIVATE_EMAIL, PRIVATE_PHONE


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.get_json()["items"]]


def test_the_list_envelope(client, catalogue):
    response = client.get("/api/v1/startups")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["items", "page", "per_page", "total", "pages", "links"]
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 20, 3, 1)
    assert body["links"] == {
        "self": "http://localhost/api/v1/startups?sort=name&per_page=20&page=1",
        "next": None,
        "prev": None,
    }
    # By name (folded): Fintech Hồ Tây, Nông sản Đại Từ, Trà Tân Cương Online.
    assert slugs(response) == [catalogue.ha_noi.slug, catalogue.nong_san.slug, catalogue.tra_tan_cuong.slug]


def test_an_item_shows_the_public_profile_with_absolute_urls(client, catalogue):
    item = next(
        item for item in client.get("/api/v1/startups").get_json()["items"] if item["slug"] == catalogue.nong_san.slug
    )
    assert item["name"] == "Nông sản Đại Từ"
    assert item["url"] == f"http://localhost/startups/{catalogue.nong_san.slug}"
    assert item["logo_url"] is None
    assert item["locality"] == "Xã Đại Từ" and item["province"] == "Thái Nguyên"
    assert item["verified"] is True and item["verified_at"].endswith("+00:00")
    assert (item["contact_email"], item["website"], item["tax_code"]) == (
        "lienhe@nongsandaitu.vn", "https://nongsandaitu.vn", "4601234567"
    )
    assert "team" not in item  # the team is on the detail only


def test_vietnamese_letters_are_not_escaped(client, catalogue):
    text = client.get("/api/v1/startups").get_data(as_text=True)
    assert "Nông sản Đại Từ" in text and "\\u" not in text
    assert client.get("/api/v1/startups").headers["Content-Type"] == "application/json; charset=utf-8"


def test_the_detail_shows_the_team_without_private_data(client, catalogue):
    response = client.get(f"/api/v1/startups/{catalogue.nong_san.slug}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["slug"] == catalogue.nong_san.slug
    assert body["team"] == [{"name": "Trần Thị Sáng Lập", "title": None, "role": "owner"}]
    text = response.get_data(as_text=True)
    assert PRIVATE_EMAIL not in text and PRIVATE_PHONE not in text
    assert f'"id":{catalogue.founder.id}' not in text and "user_id" not in text


def test_people_s_private_data_never_appears_in_the_list(client, catalogue):
    text = client.get("/api/v1/startups?per_page=100").get_data(as_text=True)
    assert PRIVATE_EMAIL not in text and PRIVATE_PHONE not in text and "Sáng Lập" not in text


def test_hidden_profiles_are_neither_listed_nor_shown(client, catalogue):
    assert catalogue.hidden.slug not in slugs(client.get("/api/v1/startups?q=bi+mat"))
    assert client.get("/api/v1/startups?q=bi+mat").get_json()["total"] == 0
    response = client.get(f"/api/v1/startups/{catalogue.hidden.slug}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_an_unknown_slug_is_a_404_in_the_error_format(client, catalogue):
    response = client.get("/api/v1/startups/khong-co-that")
    assert response.status_code == 404
    assert response.get_json() == {"error": {"code": 404, "message": "There is no public startup at this address."}}
    assert client.get("/api/v1/startups/" + "a" * 5000).status_code == 404


@pytest.mark.parametrize("query", ["nong san dai tu", "NÔNG SẢN", "Dai Tu", "đại từ", "nông  sản"])
def test_search_is_accent_and_case_insensitive(client, catalogue, query):
    assert slugs(client.get("/api/v1/startups", query_string={"q": query})) == [catalogue.nong_san.slug]


def test_search_ranks_name_matches_first(client, catalogue):
    # "dai tu" is in Nông sản Đại Từ's name and in nobody else's text; "tra" finds the tea shop.
    assert slugs(client.get("/api/v1/startups?q=tra+tan+cuong")) == [catalogue.tra_tan_cuong.slug]
    assert client.get("/api/v1/startups?q=dai+tu").get_json()["links"]["self"].endswith(
        "?q=dai+tu&sort=relevance&per_page=20&page=1"
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ("sector=agritech", ["nong_san"]),
        ("stage=growth", ["tra_tan_cuong"]),
        ("province=H%C3%A0+N%E1%BB%99i", ["ha_noi"]),
        ("verified=yes", ["nong_san"]),
        ("sector=food-ocop&stage=growth", ["tra_tan_cuong"]),
        ("sector=fintech&stage=idea", []),
    ],
)
def test_facets(client, catalogue, query, expected):
    assert slugs(client.get(f"/api/v1/startups?{query}")) == [getattr(catalogue, name).slug for name in expected]


def test_the_locality_facet(app, client, catalogue):
    from tests.factories import locality_id

    dai_tu = locality_id(app, "Xã Đại Từ")
    assert slugs(client.get(f"/api/v1/startups?locality={dai_tu}")) == [catalogue.nong_san.slug]
    item = client.get(f"/api/v1/startups?locality={dai_tu}").get_json()["items"][0]
    assert item["locality_id"] == dai_tu
    assert slugs(client.get("/api/v1/startups?locality=999999")) == []


def test_pagination(client, catalogue):
    first = client.get("/api/v1/startups?per_page=2").get_json()
    assert (first["total"], first["pages"], len(first["items"])) == (3, 2, 2)
    assert first["links"]["next"] == "http://localhost/api/v1/startups?sort=name&per_page=2&page=2"
    assert first["links"]["prev"] is None
    second = client.get(first["links"]["next"]).get_json()
    assert [item["slug"] for item in second["items"]] == [catalogue.tra_tan_cuong.slug]
    assert second["links"]["next"] is None
    assert second["links"]["prev"] == "http://localhost/api/v1/startups?sort=name&per_page=2&page=1"
    beyond = client.get("/api/v1/startups?per_page=2&page=7").get_json()
    assert beyond["items"] == [] and beyond["page"] == 7 and beyond["total"] == 3
    assert beyond["links"]["prev"].endswith("page=2")


def test_sorts(client, catalogue):
    assert slugs(client.get("/api/v1/startups?sort=founded"))[:2] == [
        catalogue.nong_san.slug, catalogue.tra_tan_cuong.slug
    ]
    newest = slugs(client.get("/api/v1/startups?sort=newest"))
    assert set(newest) == {catalogue.nong_san.slug, catalogue.tra_tan_cuong.slug, catalogue.ha_noi.slug}


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("per_page=100000", "per_page"),
        ("per_page=0", "per_page"),
        ("per_page=", "per_page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=1.5", "page"),
        ("page=%C2%B2", "page"),  # "²" is a digit to str.isdigit(), not to int()
        ("page=99999999999999999999999", "page"),
        ("sort=password", "password"),
        ("sort=", "sort"),
        ("sector=weapons", "sector"),
        ("sector=", "sector"),
        ("sector=%20agritech", "sector"),
        ("stage=MVP", "stage"),
        ("verified=no", "verified"),
        ("province=Paris", "province"),
        ("locality=abc", "locality"),
        ("locality=-3", "locality"),
        ("locality=%C2%B2", "locality"),
        ("locality=1234567890", "locality"),
        ("q=" + "a" * 201, "200"),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(client, query, fragment):
    response = client.get(f"/api/v1/startups?{query}")
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == 400 and fragment in error["message"]


def test_sort_password_names_the_allowed_orders(client):
    message = client.get("/api/v1/startups?sort=password").get_json()["error"]["message"]
    assert "password" in message and all(sort in message for sort in ("relevance", "name", "newest", "founded"))


@pytest.mark.parametrize("q", ["\x00", "a\x00b", "\u2028", "'; DROP TABLE startups; --", "%_\\", "🚀" * 50, " " * 200])
def test_odd_search_text_is_answered(client, catalogue, q):
    response = client.get("/api/v1/startups", query_string={"q": q})
    assert response.status_code == 200
    assert response.get_json()["total"] <= 3


def test_unknown_parameters_are_ignored(client, catalogue):
    plain = client.get("/api/v1/startups").get_json()
    extra = client.get("/api/v1/startups?password=x&fields=email&owner=1").get_json()
    assert extra == plain


def test_the_body_is_compact_json(client, catalogue):
    text = client.get(f"/api/v1/startups/{catalogue.nong_san.slug}").get_data(as_text=True)
    assert json.loads(text)["name"] == "Nông sản Đại Từ"
    assert ", " not in text.split('"description"')[0]


def test_the_logo_url_is_absolute_and_serves_the_image(app, client):
    import io

    from PIL import Image

    from tests.factories import make_startup

    png = io.BytesIO()
    Image.new("RGB", (300, 200), (11, 93, 59)).save(png, "PNG")
    png.seek(0)
    startup = make_startup(app, name="Logo Đẹp", logo_stream=png)
    item = client.get(f"/api/v1/startups/{startup.slug}").get_json()
    assert item["logo_url"].startswith("http://localhost/media/logos/") and item["logo_url"].endswith(".webp")
    image = client.get(item["logo_url"])
    assert image.status_code == 200 and image.mimetype == "image/webp"


def test_links_use_the_public_base_url_when_set(app, client, catalogue):
    app.config["PUBLIC_BASE_URL"] = "https://khoinghiep.thainguyen.gov.vn"
    try:
        body = client.get("/api/v1/startups?per_page=1", headers={"Host": "forged.example"}).get_json()
    finally:
        app.config["PUBLIC_BASE_URL"] = ""
    assert body["items"][0]["url"].startswith("https://khoinghiep.thainguyen.gov.vn/startups/")
    assert body["links"]["next"].startswith("https://khoinghiep.thainguyen.gov.vn/api/v1/startups?")
    assert "forged" not in json.dumps(body)
