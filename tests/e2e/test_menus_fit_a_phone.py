"""Every page a demo role reaches from its menus fits a 360 px phone: no sideways scrolling, no tiny targets.

Each demo account (`flask seed-demo`) signs in; the test collects the links of the header's
main menu and of the user menu, plus the pages one link away from the personal page ("Của
tôi": my startups, clubs, registrations, tickets, applications), and visits each at 360×740.
A page fails when

- the document is wider than the window (`scrollWidth > innerWidth`), or
- a visible link or button is smaller than 24×24 CSS pixels (WCAG 2.2, 2.5.8 Target Size
  (Minimum)), or
- a visible link or button lies beyond the window's left or right edge (a wide table scrolled
  inside its box hides its actions: the reason tables stack into cards on a phone).

The inline exception of WCAG 2.2 is applied narrowly: a link is exempt only when it is laid out
inline (computed `display: inline`) inside running text, that is, its nearest `p`, `li`, `dd`,
`td` or `label` ancestor also holds at least two letters of text outside any link or button. A
link that stands alone in its paragraph, list item or cell is a target like any other. Elements
hidden from everyone (not rendered, `visibility: hidden`, clipped to 1 px by `.visually-hidden`,
or moved above the page like the skip link until it is focused) are not targets.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from ecosystem.auth.demo import DEMO_PASSWORD, DEMO_USERS
from ecosystem.demo import seed_demo
from tests.e2e.actions import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.committing]

PHONE = {"width": 360, "height": 740}

MENU_LINKS = """() => {
  const links = document.querySelectorAll(
    'header.site-header nav.main-nav a[href], header.site-header details.account-menu a[href]');
  return Array.from(links, (link) => link.href).filter((href) => href.startsWith(location.origin));
}"""

PERSONAL_PAGE_LINKS = """() => Array.from(document.querySelectorAll('main a[href]'), (link) => link.href)
    .filter((href) => href.startsWith(location.origin))"""

AUDIT = """() => {
  const MIN = 24;
  const TEXT_BLOCKS = 'p, li, dd, td, label';
  const ownText = (block) => {
    const copy = block.cloneNode(true);
    copy.querySelectorAll('a, button').forEach((target) => target.remove());
    return copy.textContent.replace(/[\\s\\p{P}\\p{S}]+/gu, '');
  };
  const inRunningText = (element) => {
    if (element.tagName !== 'A' || getComputedStyle(element).display !== 'inline') return false;
    const block = element.parentElement && element.parentElement.closest(TEXT_BLOCKS);
    return Boolean(block) && ownText(block).length >= 2;
  };
  const shown = (element, box) => {
    if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    if (box.width <= 1 || box.height <= 1) return false;
    if (box.bottom + window.scrollY <= 0) return false;  // the skip link, parked above the page
    return !element.closest('.visually-hidden');
  };
  const small = [], aside = [];
  for (const element of document.querySelectorAll('a[href], button, summary, input[type=submit], input[type=button]')) {
    const box = element.getBoundingClientRect();
    if (!shown(element, box) || inRunningText(element)) continue;
    const name = (element.textContent || element.value || element.getAttribute('aria-label') || '')
      .trim().replace(/\\s+/g, ' ');
    const label = `${element.tagName.toLowerCase()} "${name.slice(0, 40)}"`;
    const size = `${box.width.toFixed(0)}x${box.height.toFixed(0)}`;
    if (box.width < MIN - 0.5 || box.height < MIN - 0.5) small.push(`${label} ${size}`);
    if (box.left < -0.5 || box.right > window.innerWidth + 0.5) aside.push(label);
  }
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, small, aside};
}"""


def audit(page: Page, url: str) -> list[str]:
    """What is wrong with the page at `url` on this phone screen (an empty list when nothing is)."""
    response = page.goto(url)
    path = url.split("//", 1)[-1].split("/", 1)[-1]
    if response is None or response.status != 200:
        return [f"/{path}: status {response.status if response else 'none'}"]
    found = page.evaluate(AUDIT)
    problems = []
    if found["scroll"] > found["inner"]:
        problems.append(f"/{path}: {found['scroll']} px wide in a {found['inner']} px window")
    problems.extend(f"/{path}: {target} is smaller than 24x24 px" for target in found["small"])
    problems.extend(f"/{path}: {target} is off-screen (scrolled sideways in a box)" for target in found["aside"])
    return problems


@pytest.mark.viewport(**PHONE)
def test_every_page_of_every_demo_role_menu_fits_a_360_px_phone(app, page: Page, live_server):
    with app.app_context():
        seed_demo()
    problems: list[str] = []
    visited_by_anyone: set[str] = set()
    page.goto("/")
    problems += audit(page, live_server + "/")
    for email, _name, _roles in DEMO_USERS:
        sign_in(page, email, DEMO_PASSWORD)
        menu_links = list(dict.fromkeys(page.evaluate(MENU_LINKS)))
        assert menu_links, email
        personal = [url for url in menu_links if url.rstrip("/").endswith("/me")]
        assert personal, f"{email} has no link to the personal page"
        page.goto(personal[0])
        further = [url for url in page.evaluate(PERSONAL_PAGE_LINKS) if "/auth/" not in url]
        for url in dict.fromkeys(menu_links + further):
            if url in visited_by_anyone and url not in menu_links:
                continue
            visited_by_anyone.add(url)
            problems += audit(page, url)
        sign_out(page)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
