"""Browser tests: the session app served on loopback, driven by Chromium through Playwright.

The server thread commits for real, so every browser test is also marked
`committing` (the tables are emptied after each test). The Chromium process is
started once per test session; every test gets a fresh browser context (its own
cookies), Vietnamese locale, and a full-page screenshot in
`test-artifacts/screenshots/` when it fails.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOT_DIR = Path("test-artifacts") / "screenshots"

# Fail fast and legibly: an element that has not appeared after 10 s will not appear.
expect.set_options(timeout=10_000)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "viewport(width, height): the browser window size for this test's `page` (default 1280x800)"
    )


class _RequestHandler(WSGIRequestHandler):
    """Logs page requests (shown with a failing test's output), not the static files they load."""

    def log_request(self, code="-", size="-"):
        if not self.path.startswith("/static/"):
            super().log_request(code, size)


@pytest.fixture(scope="session")
def live_server(app):
    """The session app on 127.0.0.1 (a free port), served by a threaded Werkzeug server."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_RequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(request, browser: Browser, live_server: str):
    """A page in a fresh browser context (no cookies), Vietnamese, based on the live server."""
    marker = request.node.get_closest_marker("viewport")
    viewport = dict(marker.kwargs) if marker else DEFAULT_VIEWPORT
    context = browser.new_context(
        base_url=live_server,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=viewport,
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _screenshot_path(item: pytest.Item) -> Path:
    name = re.sub(r"[^\w.-]+", "_", item.name).strip("_")
    return item.config.rootpath / SCREENSHOT_DIR / f"{name}.png"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """On a failure, save what the browser showed: test-artifacts/screenshots/<test name>.png."""
    report = yield
    if report.failed and report.when in ("setup", "call"):
        page = getattr(item, "funcargs", {}).get("page")
        if isinstance(page, Page) and not page.is_closed():
            path = _screenshot_path(item)
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=str(path), full_page=True, timeout=10_000)
            except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the test failure
                report.sections.append(("screenshot", f"could not save {path}: {error}"))
            else:
                report.sections.append(("screenshot", f"saved {path} (page {page.url})"))
    return report
