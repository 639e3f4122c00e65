"""People see their own municipalities; the region sees public figures and nothing else."""

from __future__ import annotations

import re

import pytest

REGION = "/r/vastra-gotalandsregionen/"
DALSLAND = [
    "Bengtsfors kommun",
    "Dals-Eds kommun",
    "Färgelanda kommun",
    "Melleruds kommun",
    "Åmåls kommun",
]
NBSP = "\xa0"


def figures(html: str) -> dict[str, dict[str, str]]:
    """The region table as {indicator label: {municipality: shown value}}."""
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    columns = re.findall(r'<th scope="col" class="num">(.*?)</th>', head)
    table = {}
    for label, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', html, re.S):
        values = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r'<td class="num">(.*?)</td>', cells, re.S)
        ]
        table[label] = dict(zip(columns, values, strict=True))
    return table


def test_switcher_is_hidden_for_a_person_with_one_municipality(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    html = client.get("/k/amal/").get_data(as_text=True)
    assert 'id="tenant-switch"' not in html
    assert "/byt" not in html


def test_switcher_lists_every_municipality_of_a_person_with_several(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator", "bengtsfors": "member"}))
    html = client.get("/k/amal/").get_data(as_text=True)
    assert 'id="tenant-switch"' in html
    options = re.findall(r'<option value="([^"]+)"( selected)?>', html)
    assert options == [("bengtsfors", ""), ("amal", " selected")]  # sorted by name


def test_switching_goes_to_the_chosen_municipality(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator", "bengtsfors": "member"}))
    response = client.get("/byt?till=bengtsfors")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/k/bengtsfors/")
    html = client.get("/k/bengtsfors/").get_data(as_text=True)
    assert "Du är medlem i Bengtsfors kommun." in html


@pytest.mark.parametrize("slug", ["dals-ed", "vastra-gotalandsregionen", "finns-inte", ""])
def test_switcher_refuses_a_municipality_the_person_does_not_belong_to(create_user, login, slug):
    client = login(create_user(municipalities={"amal": "coordinator", "bengtsfors": "member"}))
    response = client.get("/byt", query_string={"till": slug})
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)


def test_switcher_needs_a_login(app):
    response = app.test_client().get("/byt?till=amal")
    assert response.status_code == 302
    assert "/logga-in" in response.headers["Location"]


def test_foreign_and_unknown_municipalities_look_the_same(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    client.get("/konto")  # shows the "logged in" message once
    foreign, unknown = client.get("/k/bengtsfors/"), client.get("/k/finns-inte/")
    assert foreign.status_code == unknown.status_code == 404
    assert "Bengtsfors" not in foreign.get_data(as_text=True)

    def normalised(response, slug: str) -> str:
        """The page without its form token and the address echoed in the language switch."""
        html = re.sub(r'name="csrf_token" value="[^"]+"', "", response.get_data(as_text=True))
        return html.replace(f"/k/{slug}/", "/k/x/")

    assert normalised(foreign, "bengtsfors") == normalised(unknown, "finns-inte")


def test_person_with_one_municipality_lands_there(create_user, login):
    client = login(create_user(municipalities={"bengtsfors": "member"}))
    assert client.get("/").headers["Location"].endswith("/k/bengtsfors/")


def test_person_with_several_places_chooses_on_the_start_page(create_user, login):
    client = login(
        create_user(
            name="Per Flera",
            municipalities={"amal": "member"},
            regions={"vastra-gotalandsregionen": "analyst"},
        )
    )
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Välkommen, Per Flera" in html
    assert 'href="/k/amal/"' in html and f'href="{REGION}"' in html


def test_region_analyst_sees_the_five_municipalities_public_figures(create_user, login):
    client = login(create_user(regions={"vastra-gotalandsregionen": "analyst"}))
    response = client.get(REGION)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Västra Götalandsregionen</h1>" in html
    table = figures(html)
    assert list(table["Folkmängd"]) == DALSLAND
    assert table["Folkmängd"]["Åmåls kommun"] == f"12{NBSP}318"  # Swedish thousands separator
    assert table["Orosanmälningar per månad"]["Åmåls kommun"] == "38,6"  # decimal comma
    assert table["Demografisk försörjningskvot"]["Åmåls kommun"] == "0,96"
    assert all(value for row in table.values() for value in row.values())


def test_region_page_shows_no_municipality_internals(create_user, login):
    client = login(create_user(regions={"vastra-gotalandsregionen": "analyst"}))
    html = client.get(REGION).get_data(as_text=True)
    assert "anonymiserade" in html
    assert 'href="/k/' not in html


@pytest.mark.parametrize("path", ["/k/amal/", "/k/amal/logg", "/k/bengtsfors/"])
def test_region_analyst_cannot_open_a_municipality(create_user, login, path):
    client = login(create_user(regions={"vastra-gotalandsregionen": "analyst"}))
    assert client.get(path).status_code == 404


def test_municipality_coordinator_cannot_open_the_region(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    response = client.get(REGION)
    assert response.status_code == 404
    assert "Västra Götalandsregionen" not in response.get_data(as_text=True)


def test_region_address_is_not_a_municipality_address(create_user, login):
    client = login(
        create_user(
            regions={"vastra-gotalandsregionen": "analyst"}, municipalities={"amal": "coordinator"}
        )
    )
    assert client.get("/k/vastra-gotalandsregionen/").status_code == 404
    assert client.get("/r/amal/").status_code == 404


def test_member_may_not_read_the_audit_log_but_coordinator_may(create_user, login):
    member = login(create_user(municipalities={"amal": "member"}))
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    assert member.get("/k/amal/logg").status_code == 403
    assert 'href="/k/amal/logg"' not in member.get("/k/amal/").get_data(as_text=True)
    assert coordinator.get("/k/amal/logg").status_code == 200
    assert 'href="/k/amal/logg"' in coordinator.get("/k/amal/").get_data(as_text=True)
