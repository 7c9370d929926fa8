"""Rosters: CSV with a BOM, XLSX with a summary sheet, the printable list and decision letter; coordinators only."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import func, select

from ecosystem.delegations.models import Application, ApplicationStatus, CallStatus, DelegationCall
from ecosystem.delegations.rosters import HEADERS, RANKING_HEADERS, SUMMARY_HEADERS
from ecosystem.extensions import db
from tests.delegations.review_support import coordinator, english, make_application, make_call, mentor, seed_delegation
from tests.factories.startups import make_startup
from tests.factories.users import make_user

EXPORTS = ("roster.csv", "roster.xlsx", "roster", "decision", "decision.docx", "ranking.xlsx")


@pytest.mark.parametrize("export", EXPORTS)
def test_exports_are_for_coordinators_only(app, client, auth, export):
    call = seed_delegation(app)
    url = f"/techfest/{call.slug}/{export}"
    assert client.get(url).status_code == 302  # to the login page
    for user in (make_user(app), mentor(app)):
        auth.login(user.email, user.password)
        response = client.get(url)
        assert response.status_code == 403 and "Nguyễn Thị Hoà" not in response.get_data(as_text=True)
        auth.logout()
    boss = coordinator(app)
    auth.login(boss.email, boss.password)
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    assert client.get(f"/techfest/khong-co/{export}").status_code == 404


def test_invited_reviewer_cannot_export_either(app, client, auth):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    auth.login(reviewer.email, reviewer.password)
    assert client.get(f"/techfest/{call.slug}/review").status_code == 200
    for export in EXPORTS:
        assert client.get(f"/techfest/{call.slug}/{export}").status_code == 403


def login_coordinator(app, auth):
    boss = coordinator(app)
    auth.login(boss.email, boss.password)


def test_xlsx_holds_exactly_the_accepted_people_sorted_by_allocation(app, client, auth):
    call = seed_delegation(app)
    login_coordinator(app, auth)
    response = client.get(f"/techfest/{call.slug}/roster.xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Danh sách đoàn", "Tổng hợp"]
    rows = list(workbook["Danh sách đoàn"].iter_rows(values_only=True))
    assert rows[0] == HEADERS
    people = [(row[1], row[2], row[5]) for row in rows[1:]]
    # The university's allocation comes first (the call's order), then the open pool.
    assert people == [
        ("Đại học Thái Nguyên", "Gạo Đại Từ", "Đặng Quốc Việt"),
        ("Nhóm mở", "Trà Tân Cương Xanh", "Nguyễn Thị Hoà"),
        ("Nhóm mở", "Trà Tân Cương Xanh", "Lê Văn Bình"),
    ]
    hoa = rows[2]
    assert hoa[0] == "Techfest Việt Nam 2022" and hoa[3] == "Trà xanh sấy lạnh" and hoa[4] == "Thi gọi vốn (pitching)"
    assert hoa[6] == "Trưởng nhóm" and hoa[7] == "0912345678" and hoa[8].endswith("@example.com")
    assert "Cần điện" in hoa[9] and "Ăn chay" in hoa[9]
    assert rows[3][7] == "'=1+1"  # never a formula
    summary = list(workbook["Tổng hợp"].iter_rows(values_only=True))
    assert summary == [SUMMARY_HEADERS, ("Đại học Thái Nguyên", "Gian hàng", 1, 1),
                       ("Nhóm mở", "Thi gọi vốn (pitching)", 1, 2)]


def test_csv_starts_with_the_bom_and_keeps_vietnamese(app, client, auth):
    call = seed_delegation(app)
    login_coordinator(app, auth)
    response = client.get(f"/techfest/{call.slug}/roster.csv")
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == list(HEADERS) and rows[0][0] == "Đoàn"
    assert [row[5] for row in rows[1:]] == ["Đặng Quốc Việt", "Nguyễn Thị Hoà", "Lê Văn Bình"]
    assert rows[3][7] == "'=1+1"
    assert "Không đi" not in response.data.decode("utf-8")


def test_empty_roster_is_valid(app, client, auth):
    call = make_call(app)
    login_coordinator(app, auth)
    english_rows = list(csv.reader(io.StringIO(client.get(f"/techfest/{call.slug}/roster.csv").data
                                               .decode("utf-8-sig"))))
    assert english_rows == [list(HEADERS)]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/techfest/{call.slug}/roster.xlsx").data))
    assert workbook["Danh sách đoàn"].max_row == 1


def test_printable_list_and_decision_letter(app, client, auth, forms):
    call = seed_delegation(app)
    login_coordinator(app, auth)
    english(forms)
    page = client.get(f"/techfest/{call.slug}/roster").get_data(as_text=True)
    for name in ("Nguyễn Thị Hoà", "Lê Văn Bình", "Đặng Quốc Việt", "Trà Tân Cương Xanh", "Gạo Đại Từ"):
        assert name in page
    assert "Không đi" not in page
    assert "3 people" in page
    assert "2.000.000" in page or "2,000,000" in page  # lodging
    assert "4.000.000" in page or "4,000,000" in page  # travel 2,000,000 + lodging 2,000,000
    letter = client.get(f"/techfest/{call.slug}/decision").get_data(as_text=True)
    assert "Techfest Việt Nam 2022" in letter and "Đặng Quốc Việt" in letter and "Không đi" not in letter
    assert "Cử 2 đơn vị với 3 người tham gia Techfest Việt Nam 2022" in letter
    assert 'class="container printable decision-letter" lang="vi"' in letter


def test_roster_review_and_followup_pages_query_count_does_not_grow(app, client, auth, count_queries):
    call = make_call(app)

    def seed(count):
        for _ in range(count):
            startup = make_startup(app)
            member = make_user(app)
            make_application(app, call, startup=startup, allocation=call.allocations[count % 2],
                             status=ApplicationStatus.ACCEPTED,
                             travellers=[(startup.owner, "Người một", "0911111111"), (member, "Người hai", "09")])

    seed(3)
    login_coordinator(app, auth)
    counts = {}
    for size in (3, 33):
        if size == 33:
            seed(30)
        for export in (*EXPORTS, "review", "logistics", "settlement.xlsx", "outcomes"):
            with count_queries() as statements:
                assert client.get(f"/techfest/{call.slug}/{export}").status_code == 200
            counts.setdefault(export, []).append(len(statements))
    assert all(few == many for few, many in counts.values()), counts


def test_demo_without_startups_skips_the_past_delegations(app):
    from ecosystem.delegations import demo

    with app.test_request_context():
        lines = demo.seed()
        assert "skipped" in lines[0]
        calls = list(db.session.scalars(select(DelegationCall)))
        assert [call.status for call in calls] == [CallStatus.OPEN]


def test_demo_seeds_closed_2022_delegations_with_rosters_and_one_open_call(app, client, auth):
    from ecosystem.auth.demo import DEMO_PASSWORD, seed_users
    from ecosystem.delegations import demo
    from ecosystem.delegations.rosters import accepted_applications, roster_rows
    from ecosystem.directory.demo import seed as seed_directory
    from ecosystem.places.services import load_reference_localities
    from ecosystem.startups.demo import seed as seed_startups

    with app.test_request_context():
        seed_users()
        load_reference_localities()
        db.session.commit()
        seed_startups()
        seed_directory()
        db.session.commit()
        demo.seed()
        calls = {call.name: call for call in db.session.scalars(select(DelegationCall))}
        for name, city in (("Techfest Việt Nam 2022", "Lai Châu"), ("Techfest Hải Phòng 2022", "Hải Phòng"),
                           ("Techfest Vĩnh Phúc 2022", "Vĩnh Phúc")):
            call = calls.pop(name)
            assert call.status == CallStatus.CLOSED and call.host_city == city
            applications = accepted_applications(call)
            assert applications and roster_rows(call)
            for allocation in call.allocations:
                assert sum(len(a.travellers) for a in applications if a.allocation_id == allocation.id) \
                    <= allocation.places
            assert sum(a.booths for a in call.allocations) <= call.total_booths
        [open_call] = calls.values()
        assert open_call.status == CallStatus.OPEN and open_call.criteria_items
        assert [reviewer.user.email for reviewer in open_call.reviewers] == ["chuyengia@demo.example"]
        kinds = {allocation.unit.kind if allocation.unit else None: allocation for allocation in open_call.allocations}
        assert kinds["university"].representative.email == "clb@demo.example"
        assert "incubator" in kinds and kinds[None].is_open_pool
        assert sum(a.places for a in open_call.allocations) <= open_call.total_places
        before = (db.session.scalar(select(func.count()).select_from(DelegationCall)),
                  db.session.scalar(select(func.count()).select_from(Application)))
        again = demo.seed()
        assert "already there" in again[-1] and "0 past calls" in again[0]
        after = (db.session.scalar(select(func.count()).select_from(DelegationCall)),
                 db.session.scalar(select(func.count()).select_from(Application)))
        assert after == before
        slug = open_call.slug
    # The demo mentor reviews the open call.
    auth.login("chuyengia@demo.example", DEMO_PASSWORD)
    assert client.get(f"/techfest/{slug}/review").status_code == 200


def test_the_score_summary_ranks_applications_with_each_criterions_mean(app, client, auth):
    from tests.delegations.review_support import add_scores

    first_reviewer, second_reviewer = mentor(app), mentor(app)
    call = make_call(app, reviewers=(first_reviewer, second_reviewer))
    innovation, market = call.criteria
    strong, _ = make_application(app, call, allocation=call.allocations[0], product="Trà xanh sấy lạnh")
    weak, _ = make_application(app, call, allocation=call.allocations[1], product="Gạo hữu cơ")
    unscored, _ = make_application(app, call, product="Chưa chấm")
    add_scores(app, strong, first_reviewer, {innovation: 5, market: 4})
    add_scores(app, strong, second_reviewer, {innovation: 4, market: 4})
    add_scores(app, weak, first_reviewer, {innovation: 2, market: 3})
    login_coordinator(app, auth)
    response = client.get(f"/techfest/{call.slug}/ranking.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    rows = list(openpyxl.load_workbook(io.BytesIO(response.data))["Bảng tổng hợp điểm"].iter_rows(values_only=True))
    assert rows[0][:9] == RANKING_HEADERS and rows[0][9:] == ("Đổi mới sáng tạo (×2)", "Tiềm năng thị trường (×1)")
    assert [(row[0], row[2]) for row in rows[1:]] == [(1, "Trà xanh sấy lạnh"), (2, "Gạo hữu cơ"), (3, "Chưa chấm")]
    # (5×2 + 4)/3 = 4.67 and (4×2 + 4)/3 = 4.00: mean 4.33, spread 0.67; criterion means 4.5 and 4.
    assert rows[1][6:] == (4.33, 0.67, 2, 4.5, 4)
    assert rows[2][6:] == (2.33, 0, 1, 2, 3) and rows[3][6:] == (None, None, 0, None, None)
    assert rows[1][5] == "Đã nộp"
