"""Delegation calls: the public list and page, and the coordinators' forms (call, allocations, rubric)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ecosystem.auth.models import Role
from ecosystem.delegations.models import Allocation, CallReviewer, CallStatus, Criterion, DelegationCall
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow
from tests.delegations.review_support import rubric_form
from tests.factories import make_call, make_component, make_user


def english(forms):
    forms.post("/language", {"lang": "en"}, form_page="/")


def login_as(auth, forms, user):
    auth.login(user.email, user.password)
    english(forms)


def call_form(**overrides):
    data = {
        "name": "Techfest Việt Nam 2026",
        "host_city": "Đà Nẵng",
        "event_starts_on": "2026-12-10T08:00",
        "event_ends_on": "2026-12-12T17:00",
        "applications_open_at": "2026-11-01T08:00",
        "applications_close_at": "2026-11-30T17:00",
        "roster_locked_at": "",
        "description": "Đoàn Thái Nguyên",
        "criteria": "",
        "required_documents": "",
        "total_booths": "4",
        "total_places": "12",
        "status": "open",
    }
    data.update(overrides)
    return data


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_index_lists_open_calls_before_closed_ones_and_hides_drafts(app, client):
    closed = make_call(app, status=CallStatus.CLOSED, name="Techfest Hải Phòng 2022")
    opened = make_call(app, name="Techfest Việt Nam 2026")
    draft = make_call(app, status=CallStatus.DRAFT, name="Techfest Bản nháp")
    page = client.get("/techfest/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index(opened.name) < html.index(closed.name)
    assert draft.name not in html
    assert client.get(f"/techfest/{draft.slug}").status_code == 404


def test_detail_shows_quotas_and_used_places(app, client):
    call = make_call(app, allocations=[
        {"name": "Đại học Thái Nguyên", "booths": 3, "places": 9},
        {"name": "Gọi mở", "booths": 2, "places": 6, "is_open_pool": True},
    ])
    html = client.get(f"/techfest/{call.slug}").get_data(as_text=True)
    assert "Đại học Thái Nguyên" in html and "Gọi mở" in html
    assert re.search(r"<td[^>]*>9</td>", html) and re.search(r"<td[^>]*>6</td>", html)
    assert client.get("/techfest/khong-co").status_code == 404


def seed_calls(app, coordinator, first: int, last: int) -> None:
    with app.app_context():
        now = utcnow()
        for number in range(first, last):
            call = DelegationCall(
                slug=f"techfest-{number}", name=f"Techfest {number}", host_city="Hà Nội",
                event_starts_on=now, event_ends_on=now + timedelta(days=1),
                applications_open_at=now, applications_close_at=now + timedelta(days=1),
                status=CallStatus.OPEN if number % 2 else CallStatus.CLOSED, created_by_id=coordinator.id,
                total_booths=2, total_places=4,
            )
            call.allocations.append(Allocation(name="Gọi mở", booths=2, places=4, is_open_pool=True))
            db.session.add(call)
        db.session.commit()


def selects_on_index(client, count_queries) -> int:
    client.get("/techfest/")
    with count_queries() as statements:
        response = client.get("/techfest/")
    assert response.status_code == 200
    return len([statement for statement in statements if statement.lstrip().upper().startswith("SELECT")])


def test_index_query_count_is_constant(app, client, forms, auth, count_queries):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    seed_calls(app, coordinator, 0, 5)
    anonymous_few = selects_on_index(client, count_queries)
    login_as(auth, forms, coordinator)
    coordinator_few = selects_on_index(client, count_queries)
    seed_calls(app, coordinator, 5, 500)
    coordinator_many = selects_on_index(client, count_queries)
    auth.logout()
    anonymous_many = selects_on_index(client, count_queries)
    assert anonymous_few == anonymous_many == 3  # the count, the page of calls, their allocations
    assert coordinator_few == coordinator_many
    assert "Techfest 499" in client.get("/techfest/").get_data(as_text=True)


def test_coordinator_creates_edits_and_splits_a_call(app, client, forms, auth):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    representative = make_user(app, roles=(Role.CLUB_LEADER,))
    unit = make_component(app, name="Vườn ươm Thái Nguyên")
    login_as(auth, forms, coordinator)
    response = forms.post("/techfest/new", call_form())
    assert response.status_code == 302
    with app.app_context():
        call = db.session.scalar(select(DelegationCall))
        slug = call.slug
        assert call.total_places == 12 and call.created_by_id == coordinator.id
    assert slug == "techfest-viet-nam-2026"
    response = forms.post(f"/techfest/{slug}/allocations", {
        "rows-0-name": "Vườn ươm", "rows-0-unit_id": str(unit.id),
        "rows-0-representative_email": representative.email, "rows-0-booths": "2", "rows-0-places": "6",
        "rows-1-name": "Gọi mở", "rows-1-unit_id": "", "rows-1-is_open_pool": "y",
        "rows-1-booths": "2", "rows-1-places": "6",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        allocations = db.session.scalars(select(Allocation).order_by(Allocation.position)).all()
        assert [(a.name, a.unit_id, a.representative_id, a.is_open_pool) for a in allocations] == [
            ("Vườn ươm", unit.id, representative.id, False), ("Gọi mở", None, None, True),
        ]
    page = client.get(f"/techfest/{slug}/allocations").get_data(as_text=True)
    assert representative.email in page
    response = forms.post(f"/techfest/{slug}/edit", call_form(name="Techfest Việt Nam 2026 (Đà Nẵng)"))
    assert response.status_code == 302
    page = client.get(f"/techfest/{slug}/rubric").get_data(as_text=True)
    assert 'name="criteria-0-name"' in page and 'name="criteria-1-weight"' in page  # blank rows to add
    response = forms.post(f"/techfest/{slug}/rubric", rubric_form(
        [(None, "Tính đổi mới", 3), (None, "Thị trường", 2), (None, "", 1)], [coordinator.email]))
    assert response.status_code == 302
    with app.app_context():
        assert [(c.name, c.weight) for c in db.session.scalars(select(Criterion).order_by(Criterion.position))] == [
            ("Tính đổi mới", 3), ("Thị trường", 2)]
        assert db.session.scalar(select(CallReviewer.user_id)) == coordinator.id


def test_allocations_above_the_total_are_refused_with_nothing_written(app, client, forms, auth):
    call = make_call(app, allocations=[], total_booths=4, total_places=10)
    login_as(auth, forms, call.coordinator)
    response = forms.post(f"/techfest/{call.slug}/allocations", {
        "rows-0-name": "A", "rows-0-unit_id": "", "rows-0-booths": "2", "rows-0-places": "6",
        "rows-1-name": "B", "rows-1-unit_id": "", "rows-1-booths": "2", "rows-1-places": "6",
    })
    assert response.status_code == 422
    assert "more places (12) than the province has (10)" in response.get_data(as_text=True)
    assert count(app, Allocation) == 0


@pytest.mark.parametrize("overrides", [
    {"rows-0-booths": "-1"}, {"rows-0-places": "abc"}, {"rows-0-unit_id": "999999"},
    {"rows-0-representative_email": "nobody@example.com"}, {"rows-0-name": "x" * 10_000},
    {"rows-0-id": "424242"},
])
def test_bad_allocation_rows_get_a_message(app, client, forms, auth, overrides):
    call = make_call(app, allocations=[])
    login_as(auth, forms, call.coordinator)
    data = {"rows-0-name": "Đại học", "rows-0-unit_id": "", "rows-0-booths": "1", "rows-0-places": "2", **overrides}
    response = forms.post(f"/techfest/{call.slug}/allocations", data)
    assert response.status_code == 422
    assert count(app, Allocation) == 0


@pytest.mark.parametrize("overrides", [
    {"name": ""}, {"name": "x" * 10_000}, {"event_starts_on": "hôm qua"}, {"total_places": "-3"},
    {"total_booths": "many"}, {"status": "published"}, {"applications_close_at": "2026-10-01T08:00"},
    {"event_ends_on": "2026-12-01T08:00"}, {"host_city": ""},
])
def test_bad_call_forms_get_a_message_and_nothing_is_written(app, client, forms, auth, overrides):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    login_as(auth, forms, coordinator)
    response = forms.post("/techfest/new", call_form(**overrides))
    assert response.status_code == 422
    assert count(app, DelegationCall) == 0


def test_only_coordinators_manage_calls(app, client, forms, auth):
    call = make_call(app)
    founder = make_user(app, roles=(Role.FOUNDER,))
    login_as(auth, forms, founder)
    assert client.get("/techfest/new").status_code == 403
    for path in ("edit", "allocations", "rubric"):
        assert client.get(f"/techfest/{call.slug}/{path}").status_code == 403
    assert forms.post(f"/techfest/{call.slug}/allocations", {"rows-0-name": "X", "rows-0-booths": "1",
                                                             "rows-0-places": "1"},
                      form_page="/techfest/").status_code == 403


def test_rubric_refuses_unknown_reviewers_and_bad_weights(app, client, forms, auth):
    call = make_call(app)
    login_as(auth, forms, call.coordinator)
    for data in (rubric_form([(None, "Đổi mới", 0)]), rubric_form([(None, "Đổi mới", 1)], ["ai@example.com"]),
                 rubric_form([(None, "Đổi mới", "abc")]), rubric_form([(None, "Đổi mới", 101)]),
                 rubric_form([(None, "x" * 500, 1)]), rubric_form([(424242, "Đổi mới", 1)])):
        response = forms.post(f"/techfest/{call.slug}/rubric", data)
        assert response.status_code == 422
    assert count(app, Criterion) == 0 and count(app, CallReviewer) == 0


def card_titles(html: str) -> list[str]:
    import re

    return re.findall(r'<h2 class="card-title"><a href="/techfest/[^"]+">([^<]+)</a>', html)


def test_calls_search_is_accent_insensitive_with_status_filter_and_pages(app, client, forms, auth):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    make_call(app, coordinator, name="Techfest Hải Phòng 2022", host_city="Hải Phòng", status=CallStatus.CLOSED)
    make_call(app, coordinator, name="Techfest Vĩnh Phúc 2022", host_city="Vĩnh Phúc", status=CallStatus.CLOSED)
    make_call(app, coordinator, name="Techfest Việt Nam 2027", host_city="Hà Nội",
              description="Ngày hội **đổi mới sáng tạo** quốc gia")
    make_call(app, coordinator, name="Techfest Đà Nẵng bản nháp", status=CallStatus.DRAFT)
    english(forms)
    assert card_titles(client.get("/techfest/?q=hai+phong").get_data(as_text=True)) == ["Techfest Hải Phòng 2022"]
    assert card_titles(client.get("/techfest/?q=doi+moi+sang+tao").get_data(as_text=True)) == ["Techfest Việt Nam 2027"]
    assert sorted(card_titles(client.get("/techfest/?q=2022").get_data(as_text=True))) == [
        "Techfest Hải Phòng 2022", "Techfest Vĩnh Phúc 2022"]
    assert card_titles(client.get("/techfest/?status=open").get_data(as_text=True)) == ["Techfest Việt Nam 2027"]
    everything = card_titles(client.get("/techfest/").get_data(as_text=True))
    assert everything[0] == "Techfest Việt Nam 2027" and "Techfest Đà Nẵng bản nháp" not in everything
    assert client.get("/techfest/?q=da+nang").get_data(as_text=True).count("card-title") == 0
    login_as(auth, forms, coordinator)
    assert card_titles(client.get("/techfest/?q=da+nang").get_data(as_text=True)) == ["Techfest Đà Nẵng bản nháp"]


@pytest.mark.parametrize("query, message", [
    ("sort=cheapest", "Unknown sort order"),
    ("status=archived", "Unknown value for “status”"),
    ("page=0", "must be a whole number"),
    ("page=abc", "must be a whole number"),
    ("q=" + "x" * 300, "at most"),
])
def test_bad_list_parameters_get_a_clear_400(app, client, forms, query, message):
    english(forms)
    response = client.get(f"/techfest/?{query}")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
