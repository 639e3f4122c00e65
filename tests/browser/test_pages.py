"""The pages in a real browser: every role's main pages pass axe and fit a phone; keyboard works.

Runs on the PostgreSQL leg only (marked ``pg``) against the suite's app and database, with the
demo's accounts and data, served by werkzeug in a thread. Chromium is Debian's /usr/bin/chromium
(.ci/run installs it); off CI a laptop without it skips, under CI=true a missing browser fails.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.checks import (
    CHROMIUM,
    CHROMIUM_ARGS,
    WIDTHS,
    check_page,
    chromium_available,
    focus_is_visible,
)
from tests.browser.crawl import log_in, main_pages

pytestmark = [pytest.mark.pg, pytest.mark.browser]

#: One person per role, as ``samverka demo`` creates them (slug amal for the municipality).
ROLES = {
    "coordinator": ("samordnare.amal@demo.samverka.se", "samordnare-amal-demo-2026"),
    "member": ("medlem.amal@demo.samverka.se", "medlem-amal-demo-2026"),
    "region_analyst": ("analytiker@demo.samverka.se", "analytiker-demo-2026"),
    "facilitator": ("processledare@demo.samverka.se", "processledare-demo-2026"),
    "platform_admin": ("admin@demo.samverka.se", "admin-demo-2026"),
}

#: Served by the test itself (never by the app), under the app's CSP: it must fail every check.
BROKEN_PAGE = """<!doctype html><html><head><title>Trasig</title></head><body>
<main><h1>Trasig sida</h1>
<p style="color:#aaaaaa;background:#ffffff">Nästan osynlig text</p>
<p class="over-image">Text på en bild</p>
<img src="/bild.png">
<div class="wide">bred</div>
</main></body></html>"""
BROKEN_CSS = """.wide { width: 2000px; }
.over-image { color: #777; background-image: linear-gradient(#fff, #888); }"""


@pytest.fixture(autouse=True)
def _clean_database() -> Iterator[None]:
    """The module shares one seeded database; the ``live_server`` fixture empties it at the end."""
    yield


@pytest.fixture(scope="module")
def live_server(app) -> Iterator[str]:
    """The app with the demo's accounts and data, on an ephemeral port in a thread."""
    from werkzeug.serving import make_server

    from samverka.demo import _refresh_derived_data, ensure_demo_accounts
    from samverka.demo_data import seed_demo_data
    from samverka.extensions import db
    from samverka.modules.tenancy.models import Tenant
    from tests.fixtures.database import clean

    with app.app_context():
        ensure_demo_accounts()
        seed_demo_data()
        _refresh_derived_data()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    with app.app_context():
        schemas = [t.schema_name for t in db.session.query(Tenant).all() if t.schema_name]
        db.session.remove()
        clean(app.extensions["samverka.backend"], schemas)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not chromium_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="sv-SE")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_of_each_role_passes_axe_and_fits_phone_and_desktop(
    live_server, page, role
):
    """Pages from the role's own navigation, at 1280 and 375 px: no axe finding, no overflow."""
    log_in(page, live_server, *ROLES[role])
    pages = main_pages(page, live_server)
    assert len(pages) >= 3, pages
    problems = []
    for url in pages:
        for width in WIDTHS:
            report = check_page(page, url, width)
            problems += [f"{width} px {url}: {p}" for p in report.problems]
    assert not problems, "\n".join(problems)


def test_a_broken_page_fails_the_same_checks(live_server, page):
    """Low contrast, undecidable contrast, a missing alt text and overflow are all caught."""
    # The app's CSP (script-src 'self' blocks injected scripts), with inline styles let through
    # so the page can be broken on purpose.
    csp = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    url = "http://broken.invalid/"

    def serve(route):
        if route.request.url.endswith(".css"):
            route.fulfill(body=BROKEN_CSS, content_type="text/css")
        elif route.request.url == url:
            html = BROKEN_PAGE.replace("</title>", '</title><link rel="stylesheet" href="/b.css">')
            route.fulfill(
                body=html, content_type="text/html", headers={"Content-Security-Policy": csp}
            )
        else:
            route.fulfill(status=404, body="")

    page.route("http://broken.invalid/**", serve)
    problems = {w: check_page(page, url, w).problems for w in WIDTHS}
    for found in problems.values():
        text = "\n".join(found)
        assert "axe image-alt" in text, text
        assert "axe color-contrast" in text, text
        assert "contrast needs review" in text, text
        assert "horizontal overflow" in text, text
        assert "did not run" not in text, text


def _tab_until(page, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has focus; every element passed on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with Tab")


@pytest.mark.parametrize("width", WIDTHS)
def test_login_and_attendance_form_work_with_the_keyboard_alone(live_server, page, width):
    """Log in, open the menu on a phone, and fill in and save attendance with keys only."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/logga-in")
    _tab_until(page, "#email")
    page.keyboard.type(ROLES["coordinator"][0])
    _tab_until(page, "#password")
    page.keyboard.type(ROLES["coordinator"][1])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/logga-in" not in page.url

    if width < 768:
        toggle = page.locator(".menu-toggle")
        assert toggle.is_visible() and not page.locator(".main-nav").is_visible()
        _tab_until(page, ".menu-toggle")
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator(".main-nav").is_visible()
        page.keyboard.press("Escape")
        assert not page.locator(".main-nav").is_visible()
    else:
        assert not page.locator(".menu-toggle").is_visible()

    page.goto(
        live_server + page.locator(".main-nav a", has_text="Forum").first.get_attribute("href")
    )
    page.goto(live_server + page.locator("main table.data a").first.get_attribute("href"))
    meeting = page.locator("main a[href*='/moten/']").first.get_attribute("href")
    page.goto(f"{live_server}{meeting.split('#')[0].rstrip('/')}/narvaro")
    first_status = page.locator("select[id^='status-']").first
    status_id = first_status.get_attribute("id")
    _tab_until(page, f"#{status_id}")
    page.keyboard.press("ArrowDown")  # the next choice in the list, chosen without a mouse
    chosen = first_status.input_value()
    assert chosen
    _tab_until(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".flash--success").count() == 1, page.content()[:3000]
    page.goto(f"{live_server}{meeting.split('#')[0].rstrip('/')}/narvaro")
    assert page.locator(f"#{status_id}").input_value() == chosen


def test_a_chart_downloads_as_svg_and_png_under_the_csp(live_server, page):
    """The coordinator's attendance chart saves as a standalone SVG file and as a PNG image."""
    log_in(page, live_server, *ROLES["coordinator"])
    page.goto(f"{live_server}/k/amal/")
    figure = page.locator("figure.chart", has=page.locator("#attendance-chart"))
    with page.expect_download() as svg_download:
        figure.get_by_role("button", name="Ladda ner som SVG").click()
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert svg_download.value.suggested_filename == "narvaro-per-organisation.svg"
    assert "<svg" in svg and 'fill="#1f4e79"' in svg and "%" in svg
    with page.expect_download() as png_download:
        figure.get_by_role("button", name="Ladda ner som PNG").click()
    png = Path(png_download.value.path()).read_bytes()
    assert png_download.value.suggested_filename == "narvaro-per-organisation.png"
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
