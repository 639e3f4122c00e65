"""The privacy notice and the accessibility statement are open to all and linked from every page."""

from __future__ import annotations

import pytest

from tests.web.test_layout import ANONYMOUS_PAGES, PAGES

MORE_PAGES = [
    "/k/amal/konton/",
    "/konto/tvastegs",
    "/admin/konton/bjud-in",
    "/personuppgifter",
    "/tillganglighet",
]
ANONYMOUS_MORE = ["/glomt-losenord", "/konto/lank/ogiltig", "/personuppgifter", "/tillganglighet"]


@pytest.fixture
def everyone(create_user, login):
    return login(
        create_user(
            platform_admin=True,
            municipalities={"amal": "coordinator", "bengtsfors": "member"},
            regions={"vastra-gotalandsregionen": "analyst"},
        )
    )


def assert_footer_links(html: str, path: str) -> None:
    footer = html[html.rindex("<footer") :]
    assert 'href="/personuppgifter"' in footer, path
    assert 'href="/tillganglighet"' in footer, path


@pytest.mark.parametrize("path", PAGES + MORE_PAGES)
def test_every_page_links_to_privacy_and_accessibility(everyone, path):
    response = everyone.get(path)
    assert response.mimetype == "text/html"
    assert_footer_links(response.get_data(as_text=True), path)


@pytest.mark.parametrize("path", ANONYMOUS_PAGES + ANONYMOUS_MORE)
def test_pages_without_log_in_link_to_them_too(app, path):
    response = app.test_client().get(path)
    assert response.mimetype == "text/html"
    assert_footer_links(response.get_data(as_text=True), path)


def test_privacy_notice_names_each_municipality_as_controller_and_the_rights(app):
    page = app.test_client().get("/personuppgifter")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Personuppgiftsansvarig" in html
    assert "Åmåls kommun" in html and "Bengtsfors kommun" in html
    assert "Integritetsskyddsmyndigheten" in html and "rättade" in html


def test_accessibility_statement_says_level_shortcomings_reporting_and_supervisor(app):
    page = app.test_client().get("/tillganglighet")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("delvis förenlig", "Kända brister", "Rapportera brister", "DIGG"):
        assert text in html
