"""Coordinators' and reviewers' journeys of a Techfest call: the decision letter (Decree 30 format, DOCX), the
call's official notice, the review page (links, decision, decimal comma) and allocation labels."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import docx
import pytest
from sqlalchemy import select

from ecosystem.auth.models import Role
from ecosystem.delegations import allocations, letters
from ecosystem.delegations.models import Allocation, ApplicationStatus, DelegationCall
from ecosystem.extensions import db
from tests.delegations.review_support import (
    coordinator,
    english,
    make_application,
    make_call,
    mentor,
    seed_delegation,
)
from tests.delegations.test_applications import PDF
from tests.factories import make_call as make_service_call
from tests.factories import make_component, make_user
from tests.factories.startups import make_startup


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(paragraph.text for paragraph in cell.paragraphs)
    return "\n".join(parts)


def login(auth, user) -> None:
    auth.login(user.email, user.password)


# --- The decision letter ---------------------------------------------------------------------------


@pytest.mark.parametrize("when, expected", [
    (date(2026, 12, 13), "Thái Nguyên, ngày 13 tháng 12 năm 2026"),
    (date(2026, 3, 5), "Thái Nguyên, ngày 05 tháng 3 năm 2026"),
    (date(2027, 2, 1), "Thái Nguyên, ngày 01 tháng 02 năm 2027"),
    (None, "Thái Nguyên, ngày      tháng      năm 2026"),
])
def test_the_place_and_date_line_follows_decree_30(when, expected):
    assert letters.place_date("Thái Nguyên", when, 2026) == expected


def test_coordinator_fills_in_number_date_and_signer_and_downloads_the_docx(app, client, auth, forms):
    call = seed_delegation(app)
    boss = coordinator(app)
    login(auth, boss)
    page = client.get(f"/techfest/{call.slug}/decision").get_data(as_text=True)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Số:       /QĐ-SKHCN" in page
    response = forms.post(f"/techfest/{call.slug}/decision", {
        "number": "123/QĐ-SKHCN", "date": "2026-12-13", "signer": "director", "signer_name": "Nguyễn Văn An"})
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.get(DelegationCall, call.id)
        assert (stored.decision_number, stored.decision_date, stored.decision_signer_name,
                stored.decision_signed_on_behalf) == ("123/QĐ-SKHCN", date(2026, 12, 13), "Nguyễn Văn An", False)

    page = client.get(f"/techfest/{call.slug}/decision").get_data(as_text=True)
    assert "Số: 123/QĐ-SKHCN" in page and "Thái Nguyên, ngày 13 tháng 12 năm 2026" in page
    response = client.get(f"/techfest/{call.slug}/decision.docx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = docx_text(response.data)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND TỈNH THÁI NGUYÊN",
                     "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 123/QĐ-SKHCN", "Thái Nguyên, ngày 13 tháng 12 năm 2026",
                     "QUYẾT ĐỊNH", "Căn cứ", "Điều 1.", "Điều 2.", "Nơi nhận:", "GIÁM ĐỐC", "Nguyễn Văn An",
                     "Đặng Quốc Việt", "Gạo Đại Từ"):
        assert expected in text, expected
    assert "KT." not in text and "PHÓ GIÁM ĐỐC" not in text
    assert "Không đi" not in text  # only accepted applications
    document = docx.Document(io.BytesIO(response.data))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert round(document.sections[0].page_width.cm, 1) == 21.0
    assert round(document.sections[0].page_height.cm, 1) == 29.7


def test_the_kt_line_appears_only_when_a_deputy_signs_on_behalf(app, client, auth, forms):
    call = seed_delegation(app)
    login(auth, coordinator(app))
    forms.post(f"/techfest/{call.slug}/decision", {
        "number": "124/QĐ-SKHCN", "date": "2026-12-14", "signer": "deputy", "signer_name": "Trần Thị Bình"})
    text = docx_text(client.get(f"/techfest/{call.slug}/decision.docx").data)
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Trần Thị Bình" in text
    page = client.get(f"/techfest/{call.slug}/decision").get_data(as_text=True)
    assert "KT. GIÁM ĐỐC" in page and "PHÓ GIÁM ĐỐC" in page


@pytest.mark.parametrize("data", [
    {"number": "một trăm", "date": "2026-12-13", "signer": "director"},
    {"number": "123/QĐ-SKHCN", "date": "13/12/2026", "signer": "director"},
    {"number": "123/QĐ-SKHCN", "date": "2026-12-13", "signer": "chairman"},
    {"number": "123/QĐ-SKHCN", "date": "2026-12-13", "signer": "director", "signer_name": "x" * 200},
])
def test_bad_decision_details_get_a_message_and_nothing_is_saved(app, client, auth, forms, data):
    call = seed_delegation(app)
    login(auth, coordinator(app))
    english(forms)
    response = forms.post(f"/techfest/{call.slug}/decision", data)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(DelegationCall, call.id)
        assert stored.decision_number is None and stored.decision_date is None


def test_only_coordinators_fill_in_the_letter_or_download_it(app, client, auth, forms):
    call = seed_delegation(app)
    for user in (make_user(app, roles=(Role.FOUNDER,)), mentor(app)):
        login(auth, user)
        response = forms.post(f"/techfest/{call.slug}/decision", {"number": "9/QĐ-SKHCN", "signer": "director"},
                              form_page="/techfest/")
        assert response.status_code == 403
        assert client.get(f"/techfest/{call.slug}/decision.docx").status_code == 403
        auth.logout()
    with app.app_context():
        assert db.session.get(DelegationCall, call.id).decision_number is None


# --- The call's official notice ---------------------------------------------------------------------


def call_form(**overrides):
    values = {
        "name": "Techfest Hải Phòng 2026", "host_city": "Hải Phòng", "event_starts_on": "2026-12-10T08:00",
        "event_ends_on": "2026-12-12T17:00", "description": "", "criteria": "", "required_documents": "",
        "applications_open_at": "2026-10-01T08:00", "applications_close_at": "2026-11-15T17:00",
        "roster_locked_at": "", "total_booths": "4", "total_places": "12", "status": "open",
    }
    values.update(overrides)
    return values


def test_a_call_carries_its_official_notice_for_everyone_to_download(app, client, auth, forms):
    boss = make_user(app, roles=(Role.COORDINATOR,))
    login(auth, boss)
    response = forms.post("/techfest/new", {**call_form(), "notice": (io.BytesIO(PDF), "cong-van.pdf")},
                          content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        call = db.session.scalar(select(DelegationCall))
        slug, first_notice = call.slug, call.notice_file
    assert first_notice
    auth.logout()
    page = client.get(f"/techfest/{slug}").get_data(as_text=True)
    assert f'href="/techfest/{slug}/notice.pdf"' in page
    download = client.get(f"/techfest/{slug}/notice.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf" and download.data == PDF

    login(auth, boss)
    second = PDF.replace(b"/Count 0", b"/Count 00")
    response = forms.post(f"/techfest/{slug}/edit", {**call_form(), "notice": (io.BytesIO(second), "moi.pdf")},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    assert client.get(f"/techfest/{slug}/notice.pdf").data == second
    response = forms.post(f"/techfest/{slug}/edit", {**call_form(), "remove_notice": "y"})
    assert response.status_code == 302
    assert client.get(f"/techfest/{slug}/notice.pdf").status_code == 404
    assert "notice.pdf" not in client.get(f"/techfest/{slug}").get_data(as_text=True)


@pytest.mark.parametrize("content, message", [
    (b"GIF89a not a pdf", "The official notice must be a PDF file."),
    (b"", "The file is empty."),
    (PDF[:-6] + b"%" * (11 * 1024 * 1024) + b"\n%%EOF\n", "The notice is larger than 10 MB."),
])
def test_a_notice_that_is_not_a_small_pdf_is_refused_and_nothing_is_written(app, client, auth, forms, content,
                                                                              message):
    login(auth, make_user(app, roles=(Role.COORDINATOR,)))
    english(forms)
    response = forms.post("/techfest/new", {**call_form(), "notice": (io.BytesIO(content), "cong-van.pdf")},
                          content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(DelegationCall)) is None


def test_a_draft_calls_notice_is_not_public(app, client):
    call = make_service_call(app, status="draft")
    with app.app_context():
        from ecosystem.delegations import documents

        db.session.get(DelegationCall, call.id).notice_file = documents.store_notice(PDF)
        db.session.commit()
    assert client.get(f"/techfest/{call.slug}/notice.pdf").status_code == 404


# --- The review page --------------------------------------------------------------------------------


def test_review_links_each_application_and_its_deck_and_the_decision_starts_empty(app, client, auth, forms):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, _ = make_application(app, call, product="Trà xanh sấy lạnh")
    login(auth, reviewer)
    page = client.get(f"/techfest/{call.slug}/review").get_data(as_text=True)
    assert f'href="/techfest/{call.slug}/review/{application_id}"' in page
    full = client.get(f"/techfest/{call.slug}/review/{application_id}")
    assert full.status_code == 200
    html = full.get_data(as_text=True)
    assert "Trà xanh sấy lạnh" in html and "Nguyễn Thị Hoà" in html
    assert "0912345678" not in html  # travellers' phones are for coordinators
    auth.logout()

    boss = coordinator(app)
    login(auth, boss)
    english(forms)
    page = client.get(f"/techfest/{call.slug}/review").get_data(as_text=True)
    select_html = re.search(rf'<select id="decision-{application_id}"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.search(r'<option selected value="">|<option value="" selected>', select_html)
    assert 'value="accept" selected' not in select_html and 'selected value="accept"' not in select_html
    response = forms.post(f"/techfest/{call.slug}/review/{application_id}/decide", {"decision": ""},
                          form_page=f"/techfest/{call.slug}/review")
    assert response.status_code == 400
    assert ("Choose a decision for" in response.get_data(as_text=True)
            and "accept, reserve list or reject." in response.get_data(as_text=True))
    assert "0912345678" in client.get(f"/techfest/{call.slug}/review/{application_id}").get_data(as_text=True)


def test_someone_outside_the_review_cannot_read_an_application_there(app, client, auth):
    call = make_call(app, reviewers=[mentor(app)])
    application_id, _ = make_application(app, call)
    other_reviewer = mentor(app)  # a reviewer of no call of this one
    login(auth, other_reviewer)
    assert client.get(f"/techfest/{call.slug}/review/{application_id}").status_code == 403
    auth.logout()
    draft_id, _ = make_application(app, call, status=ApplicationStatus.DRAFT)
    login(auth, coordinator(app))
    assert client.get(f"/techfest/{call.slug}/review/{draft_id}").status_code == 404


# --- Allocation labels --------------------------------------------------------------------------------


def test_an_allocation_named_after_its_unit_shows_the_name_once(app, client, auth):
    unit = make_component(app, name="Trường Đại học Nông Lâm – Đại học Thái Nguyên", kind="university")
    other_unit = make_component(app, name="Vườn ươm Đại học Thái Nguyên", kind="incubator")
    call = make_service_call(app, allocations=[
        {"name": "Trường Đại học Nông Lâm – Đại học Thái Nguyên", "booths": 2, "places": 6, "unit_id": unit.id},
        {"name": "Suất sinh viên", "booths": 2, "places": 6, "unit_id": other_unit.id},
        {"name": "Nhóm mở (hồ sơ tự do)", "booths": 2, "places": 6, "is_open_pool": True},
    ])
    html = client.get(f"/techfest/{call.slug}").get_data(as_text=True)
    assert html.count("Trường Đại học Nông Lâm – Đại học Thái Nguyên") == 1
    assert "Suất sinh viên · Vườn ươm Đại học Thái Nguyên" in html
    assert "Nhóm mở (hồ sơ tự do)" in html and "(hồ sơ tự do) (" not in html and "tự do) (" not in html

    # The same label in the roster export.
    startup = make_startup(app)
    with app.app_context():
        allocation_id = db.session.scalar(select(Allocation.id).where(Allocation.name == "Suất sinh viên"))
        assert allocations.allocation_label(db.session.get(Allocation, allocation_id)) == (
            "Suất sinh viên · Vườn ươm Đại học Thái Nguyên")
    make_application(app, call, startup=startup, allocation=allocation_id, status=ApplicationStatus.ACCEPTED)
    login(auth, call.coordinator)
    rows = list(csv.reader(io.StringIO(client.get(f"/techfest/{call.slug}/roster.csv").data.decode("utf-8-sig"))))
    assert rows[1][1] == "Suất sinh viên · Vườn ươm Đại học Thái Nguyên"
