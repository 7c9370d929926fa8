"""On a phone (360 × 740): a founder who also leads a club team picks "for my startup" from large choice cards,
applies with a bad traveller phone, sees the message at that field with the PDF kept, corrects the phone and
submits without choosing the file again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ecosystem.auth.models import Role
from ecosystem.delegations.models import Application, ApplicationStatus
from ecosystem.extensions import db
from tests.e2e.actions import sign_in
from tests.factories import add_club_member, make_call, make_club, make_startup, make_team, make_user

pytestmark = [pytest.mark.browser, pytest.mark.committing]

STARTUP = "Chè Shan Tuyết Đại Từ"
TEAM = "Nhóm Robot Nông Nghiệp"
PRODUCT = "Máy vò chè mini"
PITCH_DECK = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.viewport(width=360, height=740)
def test_a_bad_traveller_phone_is_marked_at_its_field_and_the_pdf_is_kept(app, page: Page, live_server):
    founder = make_user(app, roles=(Role.FOUNDER, Role.CLUB_LEADER), full_name="Hoàng Văn Đức")
    make_startup(app, owner=founder, name=STARTUP)
    club = make_club(app, leader=founder)
    make_team(app, club, members=[add_club_member(app, club)], name=TEAM)
    call = make_call(app, name="Techfest Vĩnh Phúc 2026")

    sign_in(page, founder.email, founder.password)
    page.goto(f"/techfest/{call.slug}/apply")
    # Who applies: labelled choice cards, large enough to tap, the startup chosen first.
    picker = page.get_by_role("group", name="Đăng ký cho ai?")
    startup_card = picker.get_by_label(f"Đăng ký cho startup {STARTUP}")
    team_card = picker.get_by_label(f"Đăng ký cho nhóm {TEAM}", exact=False)
    expect(startup_card).to_be_checked()
    expect(team_card).not_to_be_checked()
    for card in page.locator("label.choice-card").all():
        box = card.bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    page.get_by_label("Tên sản phẩm").fill(PRODUCT)
    page.get_by_label("Hình thức tham gia").select_option(label="Gian hàng")
    traveller = page.locator("fieldset").filter(has_text="Thành viên đi đoàn 1")
    traveller.get_by_label("Thành viên", exact=True).select_option(str(founder.id))
    traveller.get_by_label("Họ và tên theo CCCD hoặc hộ chiếu").fill("HOÀNG VĂN ĐỨC")
    traveller.get_by_label("Số điện thoại").fill("gọi tôi")
    page.get_by_label("Hồ sơ thuyết trình – pitch deck (PDF, tối đa 10 MB)").set_input_files(
        {"name": "deck.pdf", "mimeType": "application/pdf", "buffer": PITCH_DECK})
    page.get_by_role("button", name="Nộp hồ sơ đăng ký").click()

    # The message is at the phone field of that row (announced with it), and the PDF is kept.
    traveller = page.locator("fieldset").filter(has_text="Thành viên đi đoàn 1")
    phone = traveller.get_by_label("Số điện thoại")
    expect(phone).to_have_attribute("aria-invalid", "true")
    message = "Số điện thoại không hợp lệ. Vui lòng nhập số điện thoại Việt Nam."
    expect(phone).to_have_accessible_description(message)
    expect(traveller.locator(".error")).to_have_text(message)
    expect(page.locator(".kept-file")).to_have_text("Đã giữ tệp deck.pdf — chọn tệp khác nếu muốn thay.")
    expect(page.get_by_label("Tên sản phẩm")).to_have_value(PRODUCT)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    with app.app_context():
        assert db.session.scalar(select(Application.id)) is None

    # Corrected, sent again without choosing the file: submitted, with the deck.
    phone.fill("0912 345 678")
    page.get_by_role("button", name="Nộp hồ sơ đăng ký").click()
    expect(page.locator("main .flash-success")).to_have_text("Đã nộp hồ sơ đăng ký của bạn.")
    expect(page.get_by_role("heading", level=1)).to_have_text(PRODUCT)
    deck_link = page.get_by_role("link", name="Tải xuống tệp PDF")
    expect(deck_link).to_be_visible()
    response = page.request.get(deck_link.get_attribute("href"))
    assert response.ok and response.body() == PITCH_DECK
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.status == ApplicationStatus.SUBMITTED and application.startup_id is not None
        assert [traveller.phone for traveller in application.travellers] == ["0912345678"]  # stored cleaned
