"""`samverka demo` (what `make run` runs) on the embedded default: every printed account logs in."""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import CSRF

LINK = re.compile(r'href="(/[^"#]*)"')
ACCOUNT = re.compile(r"^\s+(\S+@\S+)\s+(\S+)\s+(.+)$", re.MULTILINE)


@pytest.fixture
def embedded_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo always runs on the embedded default, whatever leg the suite is on."""
    monkeypatch.setenv("SAMVERKA_DATA_DIR", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    return tmp_path / "instance"


def _run_demo() -> str:
    from samverka.demo import demo

    result = CliRunner().invoke(demo, ["--no-serve"])
    assert result.exit_code == 0, result.output
    return result.output


def _broken_links(client, start: str, limit: int) -> list[tuple[str, int]]:
    """Follow the links a user sees, breadth first, and list those that do not answer 200."""
    seen, queue, broken = set(), deque([start]), []
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response.headers["Location"])
        elif response.status_code != 200:
            broken.append((url, response.status_code))
        elif response.mimetype == "text/html":
            for href in LINK.findall(response.get_data(as_text=True)):
                if not href.startswith(("/static", "/logga-ut", "/ical")):
                    queue.append(href.replace("&amp;", "&"))
    assert len(seen) > 50  # the demo has that much to show
    return broken


def test_demo_prints_accounts_that_can_log_in_and_a_rerun_keeps_data(embedded_env):
    from samverka.app import create_app
    from samverka.config import Settings

    output = _run_demo()
    accounts = ACCOUNT.findall(output)
    roles = " ".join(r for _e, _p, r in accounts)
    assert len(accounts) == 5 * 2 + 3
    for role in ("coordinator @ amal", "member @ mellerud", "analyst @", "facilitator @"):
        assert role in roles
    assert "platform admin" in roles
    assert (embedded_env / "db" / "shared.db").exists()

    assert ACCOUNT.findall(_run_demo()) == accounts  # second run: same accounts, nothing reset

    app = create_app(Settings.from_env(), {"TESTING": True, "JOBS_SYNCHRONOUS": True})
    try:
        for email, password, role in accounts:
            client = app.test_client()
            page = client.get("/logga-in").get_data(as_text=True)
            token = CSRF.search(page)
            response = client.post(
                "/logga-in",
                data={"csrf_token": token.group(1), "email": email, "password": password},
                follow_redirects=True,
            )
            assert response.status_code == 200, email
            assert "Du är inloggad" in response.get_data(as_text=True), email
            if "analyst @" in role:
                region = client.get(f"/r/{role.split('@ ')[1]}/forumaktivitet")
                figures = region.get_data(as_text=True)
                assert region.status_code == 200
                assert "Inga siffror ännu" not in figures and "Mellerud" in figures
            if role == "coordinator @ amal":
                assert _broken_links(client, start="/k/amal/", limit=150) == []
    finally:
        app.extensions["samverka.backend"].dispose()


@pytest.mark.parametrize(
    ("name", "slug", "short"),
    [
        ("Åmåls kommun", "amal", "Åmål"),
        ("Bengtsfors kommun", "bengtsfors", "Bengtsfors"),
        ("Dals-Eds kommun", "dals-ed", "Dals-Ed"),
        ("Färgelanda kommun", "fargelanda", "Färgelanda"),
    ],
)
def test_demo_account_names_use_the_place_name(name, slug, short):
    from samverka.demo import demo_accounts

    accounts = demo_accounts(
        [(slug, name)], ("vastra-gotalandsregionen", "Västra Götalandsregionen")
    )
    assert accounts[0]["name"] == f"Samordnare {short}"
