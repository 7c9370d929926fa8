"""The account pages in a real browser: sign-up to sign-out, login limits, password reset, phone and keyboard.

Selectors: ids and name attributes for fields, roles with the Vietnamese (or
English) accessible names for buttons and links, because these tests are also
about what a Vietnamese visitor reads.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_user
from tests.smtp_server import first_link, text_body

pytestmark = [pytest.mark.browser, pytest.mark.committing]

NEW_PASSWORD = "mat-khau-moi-2024"


def header(page: Page):
    return page.locator("header.site-header")


def flash(page: Page, text: str):
    return page.locator("main .flash").filter(has_text=text)


def submit_and_get_status(page: Page, button, path: str) -> int:
    """Click a form's submit button, wait for the page that follows; return the status the POST got."""
    with (
        page.expect_event("load"),
        page.expect_response(
            lambda response: response.request.method == "POST" and response.url.split("?")[0].endswith(path)
        ) as answer,
    ):
        button.click()
    return answer.value.status


def sign_in(page: Page, email: str, password: str) -> int:
    """Sign in through the form; the status of the POST: 302 accepted, 422 refused, 429 limited."""
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    return submit_and_get_status(page, page.get_by_role("button", name="Đăng nhập", exact=True), "/auth/login")


def test_visitor_signs_up_confirms_by_mail_signs_in_switches_language_and_signs_out(
    page: Page, live_server, mailbox, deliver_mail
):
    name = "Trần Thị Ngọc Ánh"
    email = "ngoc.anh@example.vn"
    password = "hoa-sen-Thai-Nguyen-7"

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    header(page).get_by_role("link", name="Đăng ký", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo tài khoản của bạn")

    page.locator("#full_name").fill(name)
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("#confirm").fill(password)
    page.locator("#accept_terms").check()
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(page).to_have_url(f"{live_server}/auth/login")
    expect(flash(page, "Sắp hoàn tất!")).to_contain_text(email)

    report = deliver_mail()
    assert len(report.sent) == 1, report
    [message] = mailbox.wait_for(email)
    assert f"Xin chào {name}," in text_body(message)
    link = first_link(message, "/auth/confirm/")
    assert link.startswith(f"{live_server}/auth/confirm/")

    page.goto(link)
    expect(page).to_have_url(f"{live_server}/auth/login")
    expect(flash(page, "Địa chỉ email của bạn đã được xác nhận. Cảm ơn bạn!")).to_be_visible()

    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(f"{live_server}/")
    expect(flash(page, f"Chào mừng bạn trở lại, {name}.")).to_be_visible()
    account_menu = header(page).locator("details.account-menu")
    expect(account_menu.locator("summary")).to_have_text(name)
    expect(page.locator(".notice-warning")).to_have_count(0)  # the address is confirmed

    header(page).locator("button[name=lang][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server}/")
    expect(header(page).locator("button[name=lang][value=en]")).to_have_attribute("aria-pressed", "true")
    expect(header(page).locator(".brand-text")).to_have_text("Startup Thai Nguyen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where Thai Nguyen's startup ecosystem meets")
    expect(page.get_by_role("link", name="Skip to content")).to_have_attribute("href", "#main")

    header(page).locator("button[name=lang][value=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(header(page).locator("button[name=lang][value=vi]")).to_have_attribute("aria-pressed", "true")
    expect(header(page).locator(".brand-text")).to_have_text("Khởi nghiệp Thái Nguyên")

    account_menu.locator("summary").click()
    expect(account_menu).to_have_attribute("open", "")
    account_menu.get_by_role("button", name="Đăng xuất", exact=True).click()
    expect(flash(page, "Bạn đã đăng xuất.")).to_be_visible()
    expect(header(page).get_by_role("link", name="Đăng nhập", exact=True)).to_be_visible()
    expect(header(page).locator("details.account-menu")).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_wrong_password_shows_the_error_and_the_sixth_failure_gets_the_vietnamese_429_page(
    app, page: Page, live_server
):
    user = make_user(app, full_name="Phạm Minh Đức")

    for attempt in range(1, 6):
        status = sign_in(page, user.email, f"sai-mat-khau-{attempt}")
        assert status == 422, f"attempt {attempt}"
        expect(page).to_have_url(f"{live_server}/auth/login")
        expect(page.get_by_role("alert").filter(has_text="Email hoặc mật khẩu không đúng.")).to_be_visible()
        expect(page.locator("#email")).to_have_value(user.email)
        expect(page.locator("#password")).to_have_value("")
        expect(header(page).locator("details.account-menu")).to_have_count(0)

    assert sign_in(page, user.email, "sai-mat-khau-6") == 429
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quá nhiều lần thử")
    expect(page.locator("main")).to_contain_text("Bạn đã thử quá nhiều lần trong thời gian ngắn.")
    expect(page.get_by_role("link", name="Quay về trang chủ")).to_be_visible()

    # The lock holds for the right password too, until the minute is over.
    assert sign_in(page, user.email, user.password) == 429
    expect(header(page).locator("details.account-menu")).to_have_count(0)


def test_password_reset_by_mail_link_then_sign_in_with_the_new_password(
    app, page: Page, live_server, mailbox, deliver_mail
):
    user = make_user(app, full_name="Hoàng Văn Thụ", email="hoang.thu@example.vn")

    page.goto("/auth/login")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page).to_have_url(f"{live_server}/auth/reset")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quên mật khẩu?")
    page.locator("#email").fill(user.email)
    page.get_by_role("button", name="Gửi liên kết", exact=True).click()
    expect(page).to_have_url(f"{live_server}/auth/login")
    expect(flash(page, "Nếu địa chỉ này thuộc về một tài khoản")).to_be_visible()

    report = deliver_mail()
    assert len(report.sent) == 1, report
    [message] = mailbox.wait_for(user.email)
    link = first_link(message, "/auth/reset/")
    assert link.startswith(f"{live_server}/auth/reset/")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt mật khẩu mới")
    page.locator("#password").fill(NEW_PASSWORD)
    page.locator("#confirm").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu mới", exact=True).click()
    expect(page).to_have_url(f"{live_server}/auth/login")
    expect(flash(page, "Mật khẩu của bạn đã được thay đổi. Vui lòng đăng nhập bằng mật khẩu mới.")).to_be_visible()

    # The link worked once; it does not work a second time.
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("không hợp lệ")

    assert sign_in(page, user.email, user.password) == 422  # the old password is gone
    assert sign_in(page, user.email, NEW_PASSWORD) == 302
    expect(page).to_have_url(f"{live_server}/")
    expect(header(page).locator("details.account-menu summary")).to_have_text("Hoàng Văn Thụ")


@pytest.mark.viewport(width=390, height=844)
def test_phone_width_has_no_horizontal_overflow_skip_link_comes_first_and_signup_inputs_are_labelled(
    page: Page, live_server
):
    for path in ("/", "/auth/register", "/auth/login"):
        page.goto(path)
        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["inner"] == 390
        assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways: {widths}"

    page.goto("/")
    skip_link = page.locator("a.skip-link")
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text("Chuyển đến nội dung chính")
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_be_in_viewport()  # it shows itself when focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()

    page.goto("/auth/register")
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
                  .filter((element) => element.labels.length === 0)
                  .map((element) => element.outerHTML)"""
    )
    assert unlabelled == []
    for label, field_id in [
        ("Họ và tên", "full_name"),
        ("Email", "email"),
        ("Mật khẩu", "password"),
        ("Nhập lại mật khẩu", "confirm"),
        ("Tôi đồng ý", "accept_terms"),
    ]:
        expect(page.get_by_label(label, exact=label != "Tôi đồng ý")).to_have_attribute("id", field_id)
