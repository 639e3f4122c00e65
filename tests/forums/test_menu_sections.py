"""The menu marks where you are: the page itself, or the section a deeper page belongs to."""

from __future__ import annotations

import re

NAV = re.compile(r'<nav class="main-nav".*?</nav>', re.S)
CURRENT = re.compile(r'<a href="([^"]+)" aria-current="(page|true)">([^<]+)</a>')


def _current(client, path: str) -> list[tuple[str, str, str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    return CURRENT.findall(NAV.search(response.get_data(as_text=True)).group(0))


def test_menu_marks_the_page_and_the_section_of_a_deeper_page(make_forum, create_user, login):
    coordinator = create_user(municipalities={"amal": "coordinator"})
    made = make_forum("amal", name="Styrgrupp", members=[("Rektor", "school", None)], past=1)
    client = login(coordinator)
    assert _current(client, "/k/amal/") == [("/k/amal/", "page", "Översikt")]
    forum_page = _current(client, f"/k/amal/forum/{made['forum_id']}")
    assert [(c, label) for _url, c, label in forum_page] == [("true", "Forum")]
    meeting = made["meeting_ids"][0]
    meeting_page = _current(client, f"/k/amal/forum/{made['forum_id']}/moten/{meeting}")
    assert [label for _url, _c, label in meeting_page] == ["Forum"]
    assert _current(client, "/konto") == [("/konto", "page", "Mitt konto")]


def test_admin_subpages_mark_their_own_entry_not_the_start(create_user, login):
    admin = login(create_user(platform_admin=True))
    assert [label for _u, c, label in _current(admin, "/admin/konton")] == ["Konton"]
