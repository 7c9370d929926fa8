"""A member registers for a free event and sees the ticket's QR code; staff check that ticket in by its code.

The pages are used in English (the users' language); the data is Vietnamese.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ecosystem.auth.models import Role
from tests.e2e.actions import sign_in, sign_out
from tests.events.ticket_support import new_event
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.committing]

TITLE = "Đêm gọi vốn khởi nghiệp Thái Nguyên"




def test_member_registers_sees_the_qr_ticket_and_staff_check_it_in_by_code(app, page: Page, live_server):
    _event_id, slug, _ticket = new_event(app, title=TITLE)
    member = make_user(app, full_name="Phạm Quốc Bảo", locale="en")
    coordinator = make_user(app, roles=(Role.COORDINATOR,), full_name="Nguyễn Thị Lan", locale="en")

    sign_in(page, member.email, member.password)
    page.goto(f"/events/{slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page).to_have_url(f"{live_server}/events/mine")
    page.get_by_role("link", name=f"Ticket {TITLE}").click()

    expect(page).to_have_url(f"{live_server}/tickets/" + page.url.rsplit("/", 1)[-1])
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".ticket-attendee")).to_have_text("Phạm Quốc Bảo")
    qr = page.get_by_role("img", name="QR code of this ticket")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth") > 200
    code = page.locator(".ticket-code").inner_text().strip()
    assert page.url.endswith(f"/tickets/{code}")
    sign_out(page)

    sign_in(page, coordinator.email, coordinator.password)
    page.goto(f"/events/{slug}/checkin")
    expect(page.locator("#count-registered")).to_have_text("1")
    expect(page.locator("#count-checked-in")).to_have_text("0")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Ticket code").fill(code)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#checkin-result")).to_contain_text("Checked in: Phạm Quốc Bảo.")
    assert page.evaluate("window.stillTheSamePage") is True  # answered by checkin.js, no page reload
    expect(page.locator("#count-checked-in")).to_have_text("1")
    expect(page.get_by_label("Ticket code")).to_have_value("")  # ready for the next person

    page.get_by_label("Ticket code").fill(code)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#checkin-result")).to_contain_text("Already checked in at")
    expect(page.locator("#count-checked-in")).to_have_text("1")
