"""/clubs/: accent-insensitive search, the university facet, sorting, paging, hostile input, query count."""

import itertools

import pytest

from ecosystem.auth.models import Role
from ecosystem.clubs.models import Club, ClubMember, ClubRole, Team
from ecosystem.core.text import fold
from ecosystem.directory.models import ComponentKind
from ecosystem.extensions import db
from tests.clubs.conftest import english
from tests.factories import add_club_member, make_club, make_component, make_team, make_user

_bulk = itertools.count(1)


def universities(app):
    return (
        make_component(app, kind=ComponentKind.UNIVERSITY, name="Trường Đại học Sư phạm Thái Nguyên"),
        make_component(app, kind=ComponentKind.UNIVERSITY, name="Trường Đại học Kỹ thuật Công nghiệp"),
    )


def names_on(page: str, *names: str) -> list[str]:
    return [name for name in names if name in page]


def test_search_is_accent_and_case_insensitive_and_ranks_name_matches_first(app, client):
    education, engineering = universities(app)
    make_club(app, university=education, name="Câu lạc bộ Khởi nghiệp Sư phạm")
    make_club(app, university=engineering, name="CLB Robot Kỹ thuật", description="Một câu lạc bộ khởi nghiệp về robot")
    make_club(app, university=engineering, name="CLB Tiếng Anh")
    page = client.get("/clubs/?q=cau lac bo khoi nghiep").get_data(as_text=True)
    assert names_on(page, "Câu lạc bộ Khởi nghiệp Sư phạm", "CLB Robot Kỹ thuật", "CLB Tiếng Anh") == [
        "Câu lạc bộ Khởi nghiệp Sư phạm", "CLB Robot Kỹ thuật"]
    assert page.index("Câu lạc bộ Khởi nghiệp Sư phạm") < page.index("CLB Robot Kỹ thuật")
    upper = client.get("/clubs/?q=CÂU LẠC BỘ KHỞI NGHIỆP").get_data(as_text=True)
    assert "Câu lạc bộ Khởi nghiệp Sư phạm" in upper
    # The university's name is searchable too.
    assert "Câu lạc bộ Khởi nghiệp Sư phạm" in client.get("/clubs/?q=dai hoc su pham").get_data(as_text=True)
    # LIKE wildcards are plain characters.
    assert "CLB Tiếng Anh" not in client.get("/clubs/?q=%25").get_data(as_text=True)


def test_university_facet_sort_and_result_count(app, client, forms):
    english(forms)
    education, engineering = universities(app)
    make_club(app, university=education, name="B CLB Sư phạm")
    make_club(app, university=engineering, name="A CLB Kỹ thuật")
    make_club(app, university=engineering, name="C CLB Kỹ thuật")
    page = client.get(f"/clubs/?university={engineering.id}").get_data(as_text=True)
    assert names_on(page, "A CLB Kỹ thuật", "B CLB Sư phạm", "C CLB Kỹ thuật") == ["A CLB Kỹ thuật", "C CLB Kỹ thuật"]
    assert "2 clubs" in page
    assert f'<option value="{engineering.id}" selected>' in page
    by_name = client.get("/clubs/?sort=name").get_data(as_text=True)
    assert by_name.index("A CLB") < by_name.index("B CLB") < by_name.index("C CLB")
    newest = client.get("/clubs/?sort=newest").get_data(as_text=True)
    assert newest.index("C CLB") < newest.index("B CLB")
    assert "No club matches your search." in client.get("/clubs/?q=khong+co+gi").get_data(as_text=True)


def test_list_shows_counts_and_pages(app, client, forms):
    english(forms)
    club = make_club(app, name="CLB Đông thành viên")
    make_team(app, club, members=[add_club_member(app, club), add_club_member(app, club)])
    page = client.get("/clubs/").get_data(as_text=True)
    assert "3 members" in page and "1 team" in page
    assert client.get("/clubs/?page=2").status_code == 200


@pytest.mark.parametrize("query, message", [
    ("page=-1", "“page” must be a whole number from 1 to"),
    ("page=abc", "“page” must be a whole number from 1 to"),
    ("page=0", "“page” must be a whole number from 1 to"),
    ("page=%D9%A3", "“page” must be a whole number from 1 to"),  # an Arabic-Indic digit
    ("sort=password", "Unknown sort order “password”"),
    ("university=999999", "Unknown value for “university”"),
    ("university=abc", "Unknown value for “university”"),
    ("per_page=100000", "“per_page” must be a whole number"),
    ("q=" + "x" * 300, "The search text has at most 200 characters."),
])
def test_bad_list_parameters_are_a_400_with_a_message(app, client, forms, query, message):
    english(forms)
    response = client.get(f"/clubs/?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_component_that_is_not_a_university_is_not_a_facet_value(app, client):
    incubator = make_component(app, kind=ComponentKind.INCUBATOR, name="Vườn ươm Thái Nguyên")
    assert client.get(f"/clubs/?university={incubator.id}").status_code == 400


def add_bulk_clubs(app, count: int, university_id: int, leader_id: int) -> None:
    """Clubs written straight to the tables (the services are too slow for 500 in a test)."""
    with app.app_context():
        for _ in range(count):
            number = next(_bulk)
            name = f"Câu lạc bộ Số {number}"
            club = Club(slug=f"cau-lac-bo-so-{number}", name=name, university_id=university_id,
                        description="Sinh viên khởi nghiệp", search_name=fold(name), search_text=fold(name))
            club.members.append(ClubMember(user_id=leader_id, role=ClubRole.LEADER))
            club.teams.append(Team(slug="nhom", name="Nhóm", idea=""))
            db.session.add(club)
        db.session.commit()


def test_the_list_runs_the_same_number_of_queries_for_5_and_500_clubs(app, client, count_queries):
    education, _engineering = universities(app)
    leader = make_user(app, roles=(Role.CLUB_LEADER,))

    def queries_for(url: str) -> int:
        client.get(url)  # warm-up
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    urls = ["/clubs/", "/clubs/?q=cau+lac+bo", f"/clubs/?university={education.id}&sort=newest", "/clubs/?page=2"]
    add_bulk_clubs(app, 5, education.id, leader.id)
    few = [queries_for(url) for url in urls]
    add_bulk_clubs(app, 495, education.id, leader.id)
    many = [queries_for(url) for url in urls]
    assert few[:3] == many[:3]
    assert max(many) <= 8, many  # count, page, universities, counts, facet check, filter list (+ savepoints)


def test_the_club_page_runs_the_same_number_of_queries_for_2_and_12_teams(app, client, auth, count_queries):
    club = make_club(app)
    auth.login(club.leader.email, club.leader.password)

    def queries() -> int:
        client.get(f"/clubs/{club.slug}")
        with count_queries() as statements:
            assert client.get(f"/clubs/{club.slug}").status_code == 200
        return len(statements)

    for _ in range(2):
        make_team(app, club, members=[add_club_member(app, club), add_club_member(app, club)])
    few = queries()
    for _ in range(10):
        make_team(app, club, members=[add_club_member(app, club), add_club_member(app, club)], mentor_wanted=True)
    assert queries() == few
