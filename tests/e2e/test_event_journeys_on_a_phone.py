"""Three event journeys on a 360×740 phone, in Vietnamese (issue 10's acceptance): a club leader who registered
themselves registers their team; a founder registers for a paid event and lands on the payment page that names
the bank; a coordinator checks someone in by typing their name without accents."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ecosystem.auth.models import Role
from ecosystem.events.models import Registration, RegistrationStatus
from ecosystem.extensions import db
from tests.e2e.actions import sign_in
from tests.factories import add_club_member, make_club, make_event, make_startup, make_team, make_user
from tests.payments.conftest import stripe_off  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.committing]

PHONE = {"width": 360, "height": 740}


def _fits_the_screen(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


def _register_myself(page: Page) -> None:
    own_form = page.locator("form").filter(has_text="Đăng ký cho bản thân")
    own_form.get_by_role("button", name="Đăng ký", exact=True).click()


def _status_of(app, event_id: int, user_id: int) -> tuple[str, int]:
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).where(
            Registration.event_id == event_id, Registration.attendee_id == user_id,
            Registration.status != RegistrationStatus.CANCELLED))
        return registration.status, registration.ticket_type_id


@pytest.mark.viewport(**PHONE)
def test_a_club_leader_who_registered_themselves_registers_their_team(app, page: Page, live_server):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), full_name="Hoàng Văn Đội Trưởng")
    club = make_club(app, leader=leader, name="CLB Khởi nghiệp Nông Lâm")
    lan = add_club_member(app, club, make_user(app, full_name="Nguyễn Thị Lan"))
    anh = add_club_member(app, club, make_user(app, full_name="Trần Minh Anh"))
    make_team(app, club, members=[lan, anh], name="Đội Chè Xanh")
    make_team(app, club, members=[lan], name="Đội Nấm Sạch")  # Lan is in both teams
    event = make_event(app, title="Ngày hội khởi nghiệp sinh viên",
                       tickets=[{"name": "Vé sinh viên", "capacity": 30, "per_person_limit": 5},
                                {"name": "Vé gian hàng", "capacity": 5, "per_person_limit": 5}])

    sign_in(page, leader.email, leader.password)
    page.goto(f"/events/{event.slug}")
    _register_myself(page)
    expect(page.locator(".flash-success")).to_be_visible()

    page.goto(f"/events/{event.slug}")
    expect(page.locator(".my-registration")).to_contain_text("Bạn đã đăng ký: Đã xác nhận.")
    team_form = page.locator("form").filter(has_text="Đăng ký cho startup hoặc nhóm của tôi")
    expect(team_form).to_be_visible()  # not hidden behind the leader's own registration
    expect(team_form.get_by_label("Nguyễn Thị Lan", exact=True)).to_have_count(1)  # listed once
    team_form.get_by_label("Nguyễn Thị Lan", exact=True).check()
    team_form.get_by_label("Vé cho Nguyễn Thị Lan").select_option(label="Vé gian hàng")
    team_form.get_by_label("Trần Minh Anh", exact=True).check()
    _fits_the_screen(page)
    submit = team_form.get_by_role("button", name="Đăng ký cho những người đã chọn")
    box = submit.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 360
    submit.click()

    expect(page).to_have_url(re.compile(rf"/events/{event.slug}/orders/\d+$"))
    expect(page.locator("h1")).to_contain_text("Ai đã đăng ký tham dự")
    chè = page.locator("h2", has_text="Đội Chè Xanh").locator("xpath=following-sibling::ul[1]")
    expect(chè).to_contain_text("Nguyễn Thị Lan")
    expect(chè).to_contain_text("Trần Minh Anh")
    expect(chè.locator(".outcome-registered")).to_have_count(2)
    nấm = page.locator("h2", has_text="Đội Nấm Sạch").locator("xpath=following-sibling::*[1]")
    expect(nấm).to_have_text("Mọi thành viên của nhóm này đã có ở danh sách phía trên.")  # Lan is listed once
    _fits_the_screen(page)
    status, ticket_type_id = _status_of(app, event.id, lan.id)
    assert status == RegistrationStatus.CONFIRMED and ticket_type_id == event.ticket_type_ids[1]  # her row's ticket
    assert _status_of(app, event.id, anh.id) == (RegistrationStatus.CONFIRMED, event.ticket_type_ids[0])


@pytest.mark.viewport(**PHONE)
def test_a_founder_registers_for_a_paid_event_and_lands_on_the_payment_page_with_the_banks_name(
        app, page: Page, live_server, stripe_off):  # noqa: F811
    founder = make_user(app, roles=(Role.FOUNDER,), full_name="Đỗ Minh Châu")
    make_startup(app, owner=founder, name="Chè Thái Xanh")
    event = make_event(app, title="Khoá đào tạo Gọi vốn cho startup",
                       tickets=[{"name": "Học viên", "price_vnd": 300_000, "capacity": 40}],
                       bank_bin="970415", bank_account_number="113000123456",
                       bank_account_name="SO KHOA HOC VA CONG NGHE THAI NGUYEN")

    sign_in(page, founder.email, founder.password)
    page.goto(f"/events/{event.slug}")
    _register_myself(page)

    expect(page).to_have_url(re.compile(r"/payments/registrations/\d+/pay$"))
    expect(page.locator("h1")).to_have_text("Thanh toán vé")
    expect(page.locator(".bank-name")).to_contain_text("VietinBank")
    expect(page.locator(".bank-name")).to_contain_text("Ngân hàng TMCP Công thương Việt Nam")
    expect(page.locator(".payment-amount")).to_contain_text("300.000")
    expect(page.get_by_role("link", name="Lưu ảnh QR")).to_be_visible()
    expect(page.locator(".bank-transfer")).to_contain_text("xác nhận chuyển khoản trong ngày làm việc")
    copy_buttons = page.locator(".copy-button")
    expect(copy_buttons).to_have_count(3)  # account number, amount, reference: added by copy.js
    for index in range(3):
        box = copy_buttons.nth(index).bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= 360
    _fits_the_screen(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Lưu ảnh QR").click()
    assert download.value.suggested_filename.endswith(".png")


@pytest.mark.viewport(**PHONE)
def test_a_coordinator_checks_someone_in_by_name(app, page: Page, live_server):
    coordinator = make_user(app, roles=(Role.COORDINATOR,), full_name="Vũ Thị Điều Phối")
    event = make_event(app, creator=coordinator, title="Đêm gọi vốn khởi nghiệp Thái Nguyên")
    attendee = make_user(app, full_name="Nguyễn Thị Lan")
    other = make_user(app, full_name="Phạm Văn Long")
    with app.test_request_context():
        from ecosystem.auth.models import User
        from ecosystem.events.models import Event
        from ecosystem.events.registration import register
        from ecosystem.events.registration_checks import AttendeeRequest

        model = db.session.get(Event, event.id)
        for person in (attendee, other):
            user = db.session.get(User, person.id)
            register(model, user, [AttendeeRequest(user, event.ticket_type_ids[0])])

    sign_in(page, coordinator.email, coordinator.password)
    page.goto(f"/events/{event.slug}/registrations")
    page.get_by_role("link", name="Check-in tại cửa").click()
    expect(page).to_have_url(f"{live_server}/events/{event.slug}/checkin")
    page.get_by_label("Tên, email hoặc số điện thoại", exact=True).fill("nguyen thi lan")
    page.get_by_role("button", name="Tìm kiếm").click()
    people = page.locator(".checkin-people li")
    expect(people).to_have_count(1)
    expect(people).to_contain_text("Nguyễn Thị Lan")
    button = people.get_by_role("button", name="Check-in Nguyễn Thị Lan")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 360
    _fits_the_screen(page)
    button.click()

    expect(page.locator("#checkin-result")).to_contain_text("Đã check-in: Nguyễn Thị Lan.")
    expect(page.locator("#count-checked-in")).to_have_text("1")
    expect(page.locator(".checkin-people li")).to_contain_text("do Vũ Thị Điều Phối ghi nhận")
    assert _status_of(app, event.id, attendee.id)[0] == RegistrationStatus.CHECKED_IN
    assert _status_of(app, event.id, other.id)[0] == RegistrationStatus.CONFIRMED
