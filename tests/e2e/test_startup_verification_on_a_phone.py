"""A coordinator verifies a startup with a note on a 360×740 phone: queue, checklist, confirmation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ecosystem.auth.models import Role
from ecosystem.extensions import db
from ecosystem.startups.models import Startup
from tests.e2e.actions import sign_in
from tests.factories import make_startup, make_user

pytestmark = [pytest.mark.browser, pytest.mark.committing]


@pytest.mark.viewport(width=360, height=740)
def test_a_coordinator_verifies_a_startup_with_a_note_on_a_phone(app, page: Page, live_server):
    coordinator = make_user(app, roles=(Role.COORDINATOR,), full_name="Nguyễn Thị Lan")
    startup = make_startup(app, name="Chè Tân Cương Xanh", tax_code="4600999101", contact_phone="0912345678",
                           locality="Xã Tân Cương")
    make_startup(app, name="Nấm Chưa Đủ Hồ Sơ")  # no tax code, no contact: cannot be verified yet

    sign_in(page, coordinator.email, coordinator.password)
    menu = page.locator("header.site-header details.account-menu")
    menu.locator("summary").click()
    menu.get_by_role("link", name="Startup chờ xác thực").click()
    expect(page.locator("h1")).to_have_text("Startup chờ xác thực")
    row = page.locator("tbody tr").filter(has_text="Chè Tân Cương Xanh")
    expect(row).to_contain_text("4600999101")
    review = row.get_by_role("link", name="Xét duyệt Chè Tân Cương Xanh")
    box = review.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44 and box["x"] + box["width"] <= 360  # on screen, thumb-sized
    review.click()

    checklist = page.locator(".checklist li")
    expect(checklist).to_have_count(3)
    expect(page.locator(".checklist .check-failed")).to_have_count(0)
    page.get_by_label("Ghi chú nội bộ của Sở").fill("Đã đối chiếu giấy chứng nhận ĐKDN và gọi điện xác nhận.")
    page.get_by_role("button", name="Xác thực startup này").click()
    expect(page.locator("#confirm-error")).to_have_text("Vui lòng đánh dấu vào ô để xác nhận.")  # not ticked
    expect(page.get_by_label("Ghi chú nội bộ của Sở")).to_have_value(
        "Đã đối chiếu giấy chứng nhận ĐKDN và gọi điện xác nhận.")  # the note is kept
    page.locator("#confirm").check()
    page.get_by_role("button", name="Xác thực startup này").click()

    expect(page.locator(".flash-success")).to_contain_text("Chè Tân Cương Xanh")
    expect(page.locator("h1")).to_have_text("Startup chờ xác thực")
    expect(page.locator("main table")).not_to_contain_text("Chè Tân Cương Xanh")
    expect(page.locator("main table")).to_contain_text("Nấm Chưa Đủ Hồ Sơ")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths

    page.goto(f"/startups/{startup.slug}")
    expect(page.locator(".badge-verified")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Nguyễn Thị Lan")
    expect(page.locator(".facts")).to_contain_text("Đã đối chiếu giấy chứng nhận ĐKDN")
    with app.app_context():
        saved = db.session.get(Startup, startup.id)
        assert saved.verified_by_id == coordinator.id
        assert saved.verification_note == "Đã đối chiếu giấy chứng nhận ĐKDN và gọi điện xác nhận."
