"""Every delegation page fits a phone screen (no sideways scrolling), labels every input and has one h1."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from ecosystem.delegations.models import Application
from ecosystem.extensions import db
from tests.delegations.review_support import coordinator, seed_delegation
from tests.e2e.actions import sign_in, sign_out
from tests.factories.users import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.committing]

UNLABELLED = """() => Array.from(document.querySelectorAll('main input:not([type=hidden]), main select, main textarea'))
                      .filter((element) => element.labels.length === 0).map((element) => element.outerHTML)"""


def check(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, (path, response.status)
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways: {widths}"
    assert page.evaluate(UNLABELLED) == [], path
    assert page.locator("main h1").count() == 1, path


@pytest.mark.viewport(width=390, height=844)
def test_delegation_pages_fit_a_phone_screen(app, page: Page, live_server):
    call = seed_delegation(app)
    with app.app_context():
        accepted = db.session.scalar(select(Application).where(Application.product_name == "Gạo hữu cơ"))
        owner_email = accepted.startup.members[0].user.email
        accepted_id = accepted.id
    boss = coordinator(app)
    sign_in(page, boss.email, boss.password)
    for path in ("/techfest/", f"/techfest/{call.slug}", "/techfest/new", f"/techfest/{call.slug}/edit",
                 f"/techfest/{call.slug}/allocations", f"/techfest/{call.slug}/rubric",
                 f"/techfest/{call.slug}/review", f"/techfest/{call.slug}/roster",
                 f"/techfest/{call.slug}/decision", f"/techfest/{call.slug}/logistics",
                 f"/techfest/{call.slug}/logistics/{accepted_id}", f"/techfest/{call.slug}/outcomes"):
        check(page, path)
    sign_out(page)
    sign_in(page, owner_email, DEFAULT_PASSWORD)
    for path in ("/techfest/mine", f"/techfest/applications/{accepted_id}", f"/techfest/{call.slug}/apply"):
        check(page, path)
