"""The accounts page names roles in Swedish, never by their stored codes."""

from __future__ import annotations


def test_accounts_page_shows_swedish_role_names(create_user, login):
    create_user(
        name="Rut Roll",
        municipalities={"amal": "coordinator", "bengtsfors": "member"},
        regions={"vastra-gotalandsregionen": "facilitator"},
    )
    create_user(name="Ana Lys", regions={"vastra-gotalandsregionen": "analyst"})
    admin = login(create_user(platform_admin=True))
    html = admin.get("/admin/konton").get_data(as_text=True)
    for label in ("(samordnare)", "(medlem)", "(processledare)", "(analytiker)"):
        assert label in html
    for code in ("(coordinator)", "(member)", "(facilitator)", "(analyst)"):
        assert code not in html


def test_accounts_page_is_for_platform_admins_only(create_user, login):
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    assert coordinator.get("/admin/konton").status_code in (403, 404)
