"""Every page is Swedish, usable by keyboard and screen reader, and loads nothing from elsewhere."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token
from tests.web.helpers import outline

PAGES = [
    "/",
    "/konto",
    "/k/amal/",
    "/k/amal/logg",
    "/k/bengtsfors/",
    "/r/vastra-gotalandsregionen/",
    "/jobb",
    "/admin/",
    "/admin/konton",
    "/admin/jobb",
    "/api/docs",
    "/finns-inte",
    "/k/dals-ed/",
]
ANONYMOUS_PAGES = ["/logga-in", "/api/docs", "/finns-inte"]
ALLOWED_SOURCES = {"'self'", "'none'", "data:"}


@pytest.fixture
def everyone(create_user, login):
    """A person who sees every kind of page: admin, coordinator, member and analyst."""
    user = create_user(
        name="Alva Allroll",
        platform_admin=True,
        municipalities={"amal": "coordinator", "bengtsfors": "member"},
        regions={"vastra-gotalandsregionen": "analyst"},
    )
    return login(user)


def pages(everyone, app):
    anonymous = app.test_client()
    for path in PAGES:
        yield path, everyone.get(path)
    for path in ANONYMOUS_PAGES:
        yield f"{path} (anonym)", anonymous.get(path)


def test_every_page_is_swedish_with_one_h1_a_skip_link_and_a_main_landmark(app, everyone):
    for path, response in pages(everyone, app):
        assert response.mimetype == "text/html", path
        page = outline(response.get_data(as_text=True))
        assert page.lang == "sv", path
        assert page.h1 == 1, f"{path}: {page.h1} h1"
        assert page.first_link is not None and page.first_link.get("href") == "#main", path
        assert len(page.mains) == 1 and page.mains[0].get("id") == "main", path


def test_pages_answer_as_expected(app, everyone):
    status = {path: response.status_code for path, response in pages(everyone, app)}
    assert status == {
        **dict.fromkeys(PAGES, 200),
        "/finns-inte": 404,
        "/k/dals-ed/": 404,
        **{f"{p} (anonym)": 200 for p in ANONYMOUS_PAGES},
        "/finns-inte (anonym)": 404,
    }


def test_no_page_loads_scripts_styles_or_images_from_another_site(app, everyone):
    for path, response in pages(everyone, app):
        html = response.get_data(as_text=True)
        for asset in outline(html).assets:
            assert asset.startswith("/") and not asset.startswith("//"), f"{path}: {asset}"
        assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', html), path


def test_every_local_asset_a_page_refers_to_is_served(app, everyone):
    assets = set()
    for _path, response in pages(everyone, app):
        assets.update(outline(response.get_data(as_text=True)).assets)
    assert any(a.endswith(".css") for a in assets)
    for asset in sorted(assets):
        response = app.test_client().get(asset)
        response.close()
        assert response.status_code == 200, asset


def test_security_headers_are_on_every_answer(app, everyone):
    answers = [*pages(everyone, app), ("/api/me", everyone.get("/api/me"))]
    for path, response in answers:
        headers = response.headers
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        directives = [d.split() for d in headers["Content-Security-Policy"].split(";") if d.strip()]
        names = {d[0] for d in directives}
        assert {"default-src", "script-src", "style-src", "frame-ancestors"} <= names, path
        for name, *sources in directives:
            assert set(sources) <= ALLOWED_SOURCES, f"{path}: {name} {sources}"


def test_municipality_pages_are_not_cached(everyone):
    assert everyone.get("/k/amal/").headers["Cache-Control"] == "no-store"
    assert everyone.get("/r/vastra-gotalandsregionen/").headers["Cache-Control"] == "no-store"


def test_unknown_address_gets_a_swedish_404_page(app):
    response = app.test_client().get("/det-har-finns-inte")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<h1>Sidan finns inte</h1>" in html
    assert "Felkod 404" in html
    assert "Not Found" not in html


def test_wrong_method_gets_a_swedish_page(app):
    response = app.test_client().get("/logga-ut")
    assert response.status_code == 405
    assert "Metoden stöds inte" in response.get_data(as_text=True)


def switch_language(client, lang: str, next_page: str = "/logga-in"):
    token = csrf_token(client, "/api/docs")  # a page with the switch, logged in or not
    return client.post("/sprak", data={"csrf_token": token, "lang": lang, "next": next_page})


def test_choosing_english_sets_a_cookie_and_the_page_language(app):
    client = app.test_client()
    response = switch_language(client, "en")
    assert response.status_code == 302
    assert response.headers["Location"] == "/logga-in"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang="))
    assert cookie.startswith("lang=en;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    english = client.get("/logga-in").get_data(as_text=True)
    assert outline(english).lang == "en"
    assert "<h1>Log in</h1>" in english and "Logga in" not in english
    switch_language(client, "sv")
    assert outline(client.get("/logga-in").get_data(as_text=True)).lang == "sv"


def test_language_choice_follows_a_logged_in_user_to_every_page(everyone):
    switch_language(everyone, "en", "/k/amal/")
    assert outline(everyone.get("/k/amal/").get_data(as_text=True)).lang == "en"
    assert outline(everyone.get("/finns-inte").get_data(as_text=True)).lang == "en"


@pytest.mark.parametrize("lang", ["de", "", "sv-SE", "<script>"])
def test_unknown_language_is_refused(app, lang):
    client = app.test_client()
    response = switch_language(client, lang)
    assert response.status_code == 400
    assert "Felaktig begäran" in response.get_data(as_text=True)
    assert client.get_cookie("lang") is None


def test_language_switch_without_csrf_token_is_refused(app):
    client = app.test_client()
    response = client.post("/sprak", data={"lang": "en"})
    assert response.status_code == 400
    assert client.get_cookie("lang") is None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "evil.example"])
def test_language_switch_stays_on_this_site(app, target):
    response = switch_language(app.test_client(), "en", target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
