"""Organisations: members read the list, coordinators add, change and deactivate them."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import csrf_token

NEW = "/k/amal/organisationer/ny"


def _org_data(client, path=NEW, **changes):
    data = {
        "csrf_token": csrf_token(client, path),
        "name": "Rösparksskolan",
        "type": "school",
        "principal": "",
        "contact_name": "Karin Kontakt",
        "contact_email": "karin@amal.se",
        "contact_phone": "0532-170 00",
    }
    data.update(changes)
    return data


def _only_id(in_tenant, slug="amal") -> int:
    from samverka.modules.forums.models import Organisation

    with in_tenant(slug) as session:
        return session.scalars(sa.select(Organisation.id)).one()


def _organisations(in_tenant, slug="amal"):
    from samverka.modules.forums.models import Organisation

    with in_tenant(slug) as session:
        return [
            (o.name, o.type, o.principal.value, o.contact_email, o.active)
            for o in session.scalars(sa.select(Organisation).order_by(Organisation.id))
        ]


def test_coordinator_adds_an_organisation_with_the_types_usual_principal(
    create_user, login, in_tenant
):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    response = client.post(NEW, data=_org_data(client))
    assert response.status_code == 302
    assert _organisations(in_tenant) == [
        ("Rösparksskolan", "school", "kommun", "karin@amal.se", True)
    ]
    page = client.get("/k/amal/organisationer").get_data(as_text=True)
    assert "Rösparksskolan" in page and "karin@amal.se" in page


def test_contact_details_are_encrypted_at_rest(create_user, login, in_tenant):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    client.post(NEW, data=_org_data(client))
    with in_tenant("amal") as session:
        from samverka.modules.forums.models import Organisation

        table = Organisation.__table__
        stored = session.execute(sa.select(sa.cast(table.c.contact_email, sa.String))).scalar_one()
    assert "karin@amal.se" not in str(stored)


def test_bad_input_shows_errors_and_saves_nothing(create_user, login, in_tenant):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    response = client.post(
        NEW,
        data=_org_data(client, name="", contact_email="inte-en-adress", contact_phone="ring mig"),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Ange organisationens namn." in html
    assert "Ange en giltig e-postadress" in html
    assert "Ange ett telefonnummer" in html
    assert 'aria-invalid="true"' in html
    assert _organisations(in_tenant) == []


def test_member_sees_organisations_but_cannot_add_or_deactivate(create_user, login, in_tenant):
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    coordinator.post(NEW, data=_org_data(coordinator))
    member = login(create_user(municipalities={"amal": "member"}))
    page = member.get("/k/amal/organisationer")
    assert page.status_code == 200
    assert "Rösparksskolan" in page.get_data(as_text=True)
    assert "Ny organisation" not in page.get_data(as_text=True)
    assert member.get(NEW).status_code == 403
    token = csrf_token(member, "/k/amal/organisationer")
    assert (
        member.post(NEW, data=_org_data(member, path="/k/amal/organisationer")).status_code == 403
    )
    assert (
        member.post(
            f"/k/amal/organisationer/{_only_id(in_tenant)}/inaktivera", data={"csrf_token": token}
        ).status_code
        == 403
    )
    assert _organisations(in_tenant)[0][-1] is True


def test_coordinator_edits_and_deactivates_and_reactivates(create_user, login, in_tenant):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    client.post(NEW, data=_org_data(client))
    org_id = _only_id(in_tenant)
    edit = f"/k/amal/organisationer/{org_id}/andra"
    assert "Rösparksskolan" in client.get(edit).get_data(as_text=True)
    response = client.post(
        edit, data=_org_data(client, path=edit, name="Polisen Dalsland", type="police")
    )
    assert response.status_code == 302
    assert _organisations(in_tenant)[0][:3] == ("Polisen Dalsland", "police", "stat")
    token = csrf_token(client, "/k/amal/organisationer")
    assert (
        client.post(
            f"/k/amal/organisationer/{org_id}/inaktivera", data={"csrf_token": token}
        ).status_code
        == 302
    )
    assert _organisations(in_tenant)[0][-1] is False
    assert "Inaktiv" in client.get("/k/amal/organisationer").get_data(as_text=True)
    client.post(f"/k/amal/organisationer/{org_id}/aktivera", data={"csrf_token": token})
    assert _organisations(in_tenant)[0][-1] is True


def test_deactivating_without_csrf_token_changes_nothing(create_user, login, in_tenant):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    client.post(NEW, data=_org_data(client))
    org_id = _only_id(in_tenant)
    assert client.post(f"/k/amal/organisationer/{org_id}/inaktivera").status_code == 400
    assert _organisations(in_tenant)[0][-1] is True


def test_unknown_organisation_is_404_and_other_municipality_is_404(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    assert client.get("/k/amal/organisationer/999/andra").status_code == 404
    assert client.get("/k/bengtsfors/organisationer").status_code == 404


def test_organisations_of_one_municipality_stay_there(create_user, login, in_tenant):
    client = login(create_user(municipalities={"amal": "coordinator", "mellerud": "coordinator"}))
    client.post(NEW, data=_org_data(client))
    assert "Rösparksskolan" in client.get("/k/amal/organisationer").get_data(as_text=True)
    assert "Rösparksskolan" not in client.get("/k/mellerud/organisationer").get_data(as_text=True)
    # The same id in another municipality is a different (here: missing) organisation.
    assert client.get(f"/k/mellerud/organisationer/{_only_id(in_tenant)}/andra").status_code == 404


def test_long_list_is_paginated(create_user, login, in_tenant):
    from samverka.modules.forums.models import Organisation
    from samverka.modules.forums.vocabulary import Principal

    with in_tenant("amal") as session:
        session.add_all(
            Organisation(name=f"Skola {n:02d}", type="school", principal=Principal.kommun)
            for n in range(30)
        )
        session.commit()
    client = login(create_user(municipalities={"amal": "member"}))
    first = client.get("/k/amal/organisationer").get_data(as_text=True)
    assert "Skola 00" in first and "Skola 29" not in first
    assert "Sida 1 av 2" in first
    second = client.get("/k/amal/organisationer?sida=2").get_data(as_text=True)
    assert "Skola 29" in second


def test_empty_list_tells_coordinator_what_to_do(create_user, login):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    html = client.get("/k/amal/organisationer").get_data(as_text=True)
    assert "Inga organisationer ännu" in html
    assert "Lägg till en organisation" in html


def test_changes_are_audited_without_personal_data(create_user, login, in_tenant):
    from samverka.modules.audit.models import AuditEvent

    client = login(create_user(municipalities={"amal": "coordinator"}))
    client.post(NEW, data=_org_data(client))
    org_id = _only_id(in_tenant)
    edit = f"/k/amal/organisationer/{org_id}/andra"
    client.post(edit, data=_org_data(client, path=edit, contact_name="Ny Person"))
    with in_tenant("amal") as session:
        events = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.object_type) for e in events] == [
            ("create", "organisation"),
            ("update", "organisation"),
        ]
        dumped = str([(e.summary, e.changes) for e in events])
    assert "contact_name" in dumped
    assert "Karin" not in dumped and "Ny Person" not in dumped and "karin@amal.se" not in dumped


def test_line_breaks_and_control_characters_are_refused(create_user, login, in_tenant):
    client = login(create_user(municipalities={"amal": "coordinator"}))
    response = client.post(
        NEW, data=_org_data(client, name="BUP\r\nBcc: alla@example.se", contact_name="Karin\x00")
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Skriv allt på en rad, utan radbrytningar" in html
    assert 'href="#name"' in html and 'href="#contact_name"' in html  # both fields named
    assert _organisations(in_tenant) == []
