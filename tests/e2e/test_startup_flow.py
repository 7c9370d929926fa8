"""A founder registers a startup with a logo; search finds it without accents; a coordinator verifies it.

The pages are used in English (the Vietnamese catalog of these pages is filled later);
the data typed in is Vietnamese.
"""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from ecosystem.startups.members import add_member
from ecosystem.startups.models import Startup
from tests.e2e.actions import sign_in, sign_out
from tests.factories import ensure_localities, make_startup, make_user

pytestmark = [pytest.mark.browser, pytest.mark.committing]

NAME = "Nông sản Đại Từ Xanh"
SLUG = "nong-san-dai-tu-xanh"




def test_founder_registers_with_a_logo_search_finds_it_coordinator_verifies_badge_shows(
    app, page: Page, live_server, tmp_path
):
    ensure_localities(app)
    founder = make_user(app, roles=(Role.FOUNDER,), full_name="Trần Văn Minh", locale="en")
    coordinator = make_user(app, roles=(Role.COORDINATOR,), full_name="Nguyễn Thị Lan", locale="en")
    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 300), (11, 93, 59)).save(logo, "PNG")

    sign_in(page, founder.email, founder.password)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/startups/")
    page.get_by_role("link", name="Register a startup").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a startup")

    page.get_by_label("Name of the startup").fill(NAME)
    page.get_by_label("Tagline").fill("Rau an toàn từ Đại Từ đến bếp ăn trường học")
    page.get_by_label("Description").fill("Kết nối **nông hộ** với bếp ăn.\n\n- Rau VietGAP\n- Trứng gà đồi")
    page.get_by_label("Sector").select_option("agritech")
    page.get_by_label("Stage").select_option("mvp")
    page.get_by_label("Founding year").fill("2022")
    expect(page.get_by_label("Province or city")).to_have_value("Thái Nguyên")
    page.get_by_label("Commune or ward in Thái Nguyên").select_option(label="Xã Đại Từ")
    page.get_by_label("Website").fill("https://nongsandaituxanh.example")
    page.get_by_label("Tax code (MST)").fill("4601234567")
    page.get_by_label("Contact e-mail").fill("lienhe@nongsandaituxanh.example")
    page.locator("#logo").set_input_files(str(logo))
    page.get_by_role("button", name="Register the startup").click()

    expect(page).to_have_url(f"{live_server}/startups/{SLUG}")
    expect(page.locator("main .flash-success")).to_contain_text(NAME)
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    profile_logo = page.get_by_role("img", name=f"Logo of {NAME}")
    expect(profile_logo).to_be_visible()
    assert profile_logo.evaluate("image => image.complete && image.naturalWidth") == 256
    expect(page.locator("main .prose strong")).to_have_text("nông hộ")
    expect(page.locator(".badge-verified")).to_have_count(0)

    page.get_by_role("link", name="All startups").click()
    card = page.locator(".startup-card").filter(has_text=NAME)
    expect(card).to_be_visible()
    expect(card.get_by_role("img", name=f"Logo of {NAME}")).to_be_visible()
    expect(card).to_contain_text("Xã Đại Từ, Thái Nguyên")

    page.get_by_label("Search", exact=True).fill("dai tu xanh")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/startups/\?q=dai\+tu\+xanh&"))
    expect(page.locator(".result-count")).to_have_text("1 startup found")
    expect(page.locator(".startup-card")).to_have_count(1)
    expect(page.locator(".startup-card h2")).to_have_text(NAME)
    sign_out(page)

    sign_in(page, coordinator.email, coordinator.password)
    page.goto(f"/startups/{SLUG}")
    page.get_by_role("link", name="Verify this startup").click()
    expect(page.locator(".checklist .check-passed")).to_have_count(3)
    page.get_by_label("Note for the department").fill("Checked the business registration.")
    page.get_by_label("I checked the tax code").check()
    page.get_by_role("button", name="Verify this startup").click()
    expect(page).to_have_url(f"{live_server}/startups/verification")
    expect(page.locator("main .flash-success")).to_contain_text("is verified by the department")
    page.goto(f"/startups/{SLUG}")
    expect(page.locator("main .badge-verified")).to_have_text("Verified")
    expect(page.locator("main .facts")).to_contain_text("Checked the business registration.")
    expect(page.get_by_role("button", name="Withdraw verification")).to_be_visible()

    page.goto("/startups/?verified=yes")
    expect(page.locator(".startup-card").filter(has_text=NAME).locator(".badge-verified")).to_be_visible()


@pytest.mark.viewport(width=390, height=844)
def test_startup_pages_fit_a_phone_screen_and_every_input_is_labelled(app, page: Page, live_server):
    long_name = "Hợp tác xã Nông nghiệp Công nghệ cao và Du lịch Cộng đồng Đại Từ"
    ref = make_startup(app, name=long_name, tagline="Rau sạch, chè và du lịch trải nghiệm " * 4,
                       description="Một đoạn mô tả rất dài " * 40 + "\n\n" + "https://" + "a" * 120 + ".example")
    cofounder = make_user(app, full_name="Nguyễn Văn Một Cái Tên Rất Dài Để Thử Bảng")
    with app.app_context():
        add_member(db.session.get(Startup, ref.id), db.session.get(User, cofounder.id), title="Giám đốc công nghệ")
        db.session.commit()
    sign_in(page, ref.owner.email, ref.owner.password)
    for path in ("/startups/", f"/startups/{ref.slug}", "/startups/new", f"/startups/{ref.slug}/edit",
                 f"/startups/{ref.slug}/members", f"/startups/{ref.slug}/delete"):
        page.goto(path)
        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"], f"{path} scrolls sideways: {widths}"
        unlabelled = page.evaluate(
            """() => Array.from(document.querySelectorAll('main input:not([type=hidden]), main select, main textarea'))
                      .filter((element) => element.labels.length === 0).map((element) => element.outerHTML)"""
        )
        assert unlabelled == [], path
        assert page.locator("main h1").count() == 1, path
