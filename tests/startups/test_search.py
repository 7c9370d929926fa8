"""The startup list: accent-insensitive search, ranking, facets, sorting, paging, hidden profiles, query count."""

from __future__ import annotations

import re

import pytest

from ecosystem.auth.models import Role
from ecosystem.core.listing import BadListQuery
from ecosystem.startups import profiles as startup_profiles
from tests.factories import locality_id, make_startup, make_startups, make_user

SLUG_LINK = re.compile(r'href="/startups/([a-z0-9-]+)"')


def listed(client, **args) -> list[str]:
    """Slugs of the cards on the list page, in order."""
    response = client.get("/startups/", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    html = response.get_data(as_text=True)
    grid = html.split('class="startup-grid"', 1)[1] if 'class="startup-grid"' in html else ""
    return [slug for slug in SLUG_LINK.findall(grid) if slug != "new"]


def search(app, **args):
    with app.app_context():
        page = startup_profiles.search_startups(startup_profiles.startup_list_query(args))
        return [startup.slug for startup in page.items]


def test_search_ignores_accents_and_case_on_both_sides(app, client):
    make_startup(app, name="Nông sản Đại Từ", locality="Xã Đại Từ")
    make_startup(app, name="Trà Thái Nguyên", tagline="Chè búp Tân Cương", locality="Xã Tân Cương")
    make_startup(app, name="Phần mềm Sông Công", sector="software", locality="Phường Sông Công",
                 description="Quản lý kho cho doanh nghiệp")
    assert listed(client, q="dai tu") == ["nong-san-dai-tu"]
    assert listed(client, q="ĐẠI TỪ") == ["nong-san-dai-tu"]
    assert listed(client, q="Dai Tu") == ["nong-san-dai-tu"]
    # "thai nguyen" is everyone's province; the name match ranks first.
    assert listed(client, q="thai nguyen")[0] == "tra-thai-nguyen"
    assert set(listed(client, q="thai nguyen")) == {"nong-san-dai-tu", "tra-thai-nguyen", "phan-mem-song-cong"}
    assert listed(client, q="che bup") == ["tra-thai-nguyen"]
    assert listed(client, q="quan ly kho") == ["phan-mem-song-cong"]
    assert listed(client, q="song cong kho") == ["phan-mem-song-cong"]  # every word, anywhere
    assert listed(client, q="không có gì như thế") == []
    assert listed(client, q="100%_") == []  # LIKE wildcards are plain text


def test_a_name_match_ranks_before_a_description_match(app, client):
    make_startup(app, name="Aardvark Logistics", description="Vận chuyển nông sản Phú Lương bằng xe lạnh")
    make_startup(app, name="Nông sản Phú Lương", description="Hợp tác xã")
    make_startup(app, name="Zeta Phú Lương Nông sản", description="Sản xuất")
    assert listed(client, q="nong san phu luong") == ["nong-san-phu-luong", "zeta-phu-luong-nong-san",
                                                      "aardvark-logistics"]
    # Without a query the default order is by name.
    assert listed(client) == ["aardvark-logistics", "nong-san-phu-luong", "zeta-phu-luong-nong-san"]


def test_the_sector_label_is_searchable(app):
    make_startup(app, name="Hợp tác xã Rau Sạch", sector="agritech")
    make_startup(app, name="Ví điện tử Phổ Yên", sector="fintech")
    assert search(app, q="agriculture") == ["hop-tac-xa-rau-sach"]
    assert search(app, q="financial") == ["vi-dien-tu-pho-yen"]


def test_facets_filter_by_sector_stage_locality_province_and_verification(app, client):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    make_startup(app, name="A Chè", sector="food-ocop", stage="growth", locality="Xã Tân Cương",
                 verified_by=coordinator)
    make_startup(app, name="B Giáo dục", sector="edtech", stage="mvp", locality="Phường Quyết Thắng")
    make_startup(app, name="C Du lịch", sector="tourism", stage="idea", locality="Xã Đại Phúc")
    make_startup(app, name="D Hà Nội", sector="edtech", stage="growth", province="Hà Nội",
                 locality_text="Phường Cầu Giấy")
    assert listed(client, sector="edtech") == ["b-giao-duc", "d-ha-noi"]
    assert listed(client, stage="growth") == ["a-che", "d-ha-noi"]
    assert listed(client, locality=locality_id(app, "Xã Đại Phúc")) == ["c-du-lich"]
    assert listed(client, province="Hà Nội") == ["d-ha-noi"]
    assert listed(client, verified="yes") == ["a-che"]
    assert listed(client, sector="edtech", stage="growth") == ["d-ha-noi"]
    assert listed(client, sector="edtech", q="ha noi") == ["d-ha-noi"]
    assert listed(client, locality="123456") == []


def test_sorts(app):
    for name, year in (("Bê", 2019), ("An", 2023), ("Cê", None)):
        make_startup(app, name=name, founded_year=year)
    assert search(app) == ["an", "be", "ce"]
    assert search(app, sort="name") == ["an", "be", "ce"]
    assert search(app, sort="newest") == ["ce", "an", "be"]
    assert search(app, sort="founded") == ["an", "be", "ce"]
    assert search(app, sort="relevance") == ["an", "be", "ce"]  # without q: by name


def test_paging(app, client):
    owner = make_user(app, roles=(Role.FOUNDER,))
    for number in range(30):
        make_startup(app, owner=owner, name=f"Khởi nghiệp {number:02d}")
    first = listed(client)
    second = listed(client, page=2)
    assert len(first) == 24 and len(second) == 6 and not set(first) & set(second)
    assert listed(client, per_page=5, page=6) == ["khoi-nghiep-25", "khoi-nghiep-26", "khoi-nghiep-27",
                                                  "khoi-nghiep-28", "khoi-nghiep-29"]
    assert listed(client, page=99) == []
    html = client.get("/startups/?page=2").get_data(as_text=True)
    assert 'rel="prev"' in html and "30" in html


def test_hidden_profiles_never_appear_in_a_list_even_for_their_members(app, client, auth):
    visible = make_startup(app, name="Công khai")
    hidden = make_startup(app, name="Bí mật", is_public=False)
    assert listed(client) == [visible.slug]
    assert listed(client, q="bi mat") == []
    auth.login(hidden.owner.email, hidden.owner.password)
    assert listed(client) == [visible.slug]
    # ... but the owner finds it among "your startups".
    html = client.get("/startups/").get_data(as_text=True)
    assert f'href="/startups/{hidden.slug}"' in html.split('class="startup-grid"')[0]


@pytest.mark.parametrize("args", [
    {"page": "-1"}, {"page": "abc"}, {"page": "0"}, {"page": "1" * 30}, {"per_page": "100000"}, {"per_page": "0"},
    {"sort": "password"}, {"sort": "name; DROP TABLE startups"}, {"sector": "astrology"}, {"stage": "x"},
    {"locality": "abc"}, {"locality": "-1"}, {"verified": "no"}, {"province": "Atlantis"}, {"q": "x" * 201},
])
def test_bad_list_parameters_are_a_400_with_a_message(client, english, args):
    english()
    response = client.get("/startups/", query_string=args)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "error-page" in body
    name = next(iter(args))
    assert (name if name != "q" else "search text") in body


def test_startup_list_query_raises_for_the_api(app):
    with pytest.raises(BadListQuery):
        startup_profiles.startup_list_query({"sort": "password"})
    query = startup_profiles.startup_list_query({"q": "dai tu"})
    assert (query.sort, query.terms, query.per_page) == ("relevance", ("dai", "tu"), 24)
    assert startup_profiles.startup_list_query({}, default_per_page=20).sort == "name"


def test_the_list_page_runs_the_same_number_of_queries_for_5_and_500_startups(app, client, count_queries):
    owner = make_user(app, roles=(Role.FOUNDER,))
    make_startups(app, 5, owner)
    client.get("/startups/")  # warm up: first-request work is not part of the count
    with count_queries() as few:
        assert client.get("/startups/?q=hang+loat&sector=software").status_code == 200
    make_startups(app, 495, make_user(app, roles=(Role.FOUNDER,)), name="Hàng loạt thêm")
    with count_queries() as many:
        assert client.get("/startups/?q=hang+loat&sector=software").status_code == 200
    assert len(few) == len(many), (few, many)
    with count_queries() as plain:
        assert client.get("/startups/?page=3").status_code == 200
    assert len(plain) == len(many)
    selects = [statement for statement in many if statement.lstrip().upper().startswith("SELECT")]
    # COUNT, the page, its communes (selectin), the commune filter's options.
    assert len(selects) == 4, selects


def test_the_list_page_query_count_does_not_grow_for_a_signed_in_founder(app, client, auth, count_queries):
    owner = make_user(app, roles=(Role.FOUNDER,))
    make_startups(app, 5, owner)
    auth.login(owner.email, owner.password)
    client.get("/startups/")
    with count_queries() as few:
        assert client.get("/startups/").status_code == 200
    make_startups(app, 120, owner, name="Của tôi")  # also 125 of "your startups"
    with count_queries() as many:
        assert client.get("/startups/").status_code == 200
    assert len(few) == len(many), (few, many)
