"""List filters fold behind "Bộ lọc" on a phone, so the results start on the first screen; open on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_startups, make_user

pytestmark = [pytest.mark.browser, pytest.mark.committing]


@pytest.mark.viewport(width=360, height=740)
def test_on_a_phone_the_filters_fold_and_the_first_result_is_on_the_first_screen(app, page: Page, live_server):
    make_startups(app, 3, make_user(app), name="Chè Búp")
    for path in ("/startups/", "/events/", "/clubs/", "/directory/", "/techfest/"):
        page.goto(path)
        expect(page.locator("#q")).to_be_hidden()
        expect(page.locator("details.filter-toggle > summary")).to_contain_text("Bộ lọc")
    page.goto("/startups/")
    first = page.locator(".startup-card").first
    assert first.bounding_box()["y"] < 740  # starts on the first screen
    page.locator("details.filter-toggle > summary").click()
    page.locator("#q").fill("che bup 2")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator(".startup-card")).to_have_count(1)
    expect(page.locator("details.filter-toggle > summary")).to_contain_text("đang dùng 1")


def test_on_a_desktop_the_filters_are_open(app, page: Page, live_server):
    page.goto("/startups/")
    expect(page.locator("#q")).to_be_visible()
    expect(page.locator("details.filter-toggle > summary")).to_be_hidden()
