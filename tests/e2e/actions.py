"""Steps every browser test takes: signing in and out through the real pages, in any interface language."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("header.site-header details.account-menu")).to_be_visible()


def sign_out(page: Page) -> None:
    menu = page.locator("header.site-header details.account-menu")
    menu.locator("summary").click()
    menu.locator("form[action$='/auth/logout'] button").click()
    expect(menu).to_have_count(0)
