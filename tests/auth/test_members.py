"""Coordinators manage their own municipality's accounts, and only theirs."""

from __future__ import annotations

import sqlalchemy as sa

from tests.auth.test_invites import invite
from tests.conftest import csrf_token


def post(client, path: str, data: dict | None = None, page: str = "/k/amal/konton/"):
    return client.post(path, data={"csrf_token": csrf_token(client, page), **(data or {})})


def membership(app, user_id: int, slug: str):
    from samverka.extensions import db
    from samverka.modules.auth.models import Membership
    from samverka.modules.tenancy.queries import tenant_by_slug

    with app.app_context():
        found = db.session.scalar(
            sa.select(Membership).where(
                Membership.user_id == user_id, Membership.tenant_id == tenant_by_slug(slug).id
            )
        )
        if found is not None:
            db.session.expunge(found)
        return found


def audit_actions(app, schema: str) -> list[tuple[str, dict]]:
    from samverka.db.session import tenant_session
    from samverka.modules.audit.models import AuditEvent

    with app.app_context(), tenant_session(schema) as session:
        return [(e.action, e.changes) for e in session.scalars(sa.select(AuditEvent))]


def test_coordinator_of_amal_cannot_see_bengtsfors_accounts(create_user, login):
    create_user("bo@example.se", municipalities={"bengtsfors": "member"})
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    assert coordinator.get("/k/bengtsfors/konton/").status_code == 404
    assert "bo@example.se" not in coordinator.get("/k/amal/konton/").get_data(as_text=True)


def test_coordinator_of_amal_cannot_invite_into_bengtsfors(create_user, login, sent_mail):
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    response = coordinator.post(
        "/k/bengtsfors/konton/bjud-in",
        data={
            "csrf_token": csrf_token(coordinator, "/k/amal/konton/"),
            "email": "x@example.se",
            "name": "X",
            "role": "coordinator",
            "organisation": "",
        },
    )
    assert response.status_code == 404
    assert sent_mail() == []


def test_coordinator_of_amal_cannot_change_roles_in_bengtsfors(app, create_user, login):
    person = create_user(municipalities={"amal": "member", "bengtsfors": "member"})
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    response = post(
        coordinator,
        f"/k/bengtsfors/konton/{person.id}/roll",
        {f"m{person.id}-role": "coordinator", f"m{person.id}-organisation": ""},
    )
    assert response.status_code == 404
    assert post(coordinator, f"/k/bengtsfors/konton/{person.id}/ta-bort").status_code == 404
    assert membership(app, person.id, "bengtsfors").role.value == "member"


def test_an_account_of_another_municipality_is_not_found_through_amal(app, create_user, login):
    outsider = create_user(municipalities={"bengtsfors": "member"})
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    for action in ("roll", "ta-bort", "inaktivera"):
        assert post(coordinator, f"/k/amal/konton/{outsider.id}/{action}").status_code == 404
    assert membership(app, outsider.id, "bengtsfors") is not None


def test_members_cannot_manage_accounts(create_user, login, sent_mail):
    member = login(create_user(municipalities={"amal": "member"}))
    assert member.get("/k/amal/konton/").status_code == 403
    response = member.post(
        "/k/amal/konton/bjud-in",
        data={
            "csrf_token": csrf_token(member, "/konto"),
            "email": "x@example.se",
            "role": "member",
        },
    )
    assert response.status_code == 403
    assert sent_mail() == []


def test_granted_role_takes_effect_on_the_next_request(app, create_user, login):
    person = create_user(municipalities={"amal": "member"})
    client = login(person)
    assert client.get("/k/amal/konton/").status_code == 403
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    response = post(
        coordinator,
        f"/k/amal/konton/{person.id}/roll",
        {f"m{person.id}-role": "coordinator", f"m{person.id}-organisation": ""},
    )
    assert response.status_code == 302
    assert client.get("/k/amal/konton/").status_code == 200
    assert ("update", {"user_id": person.id, "role": "coordinator", "organisation_id": None}) in (
        audit_actions(app, "kommun_1492")
    )


def test_removed_membership_takes_effect_on_the_next_request(app, create_user, login):
    person = create_user(municipalities={"amal": "member", "bengtsfors": "member"})
    client = login(person)
    assert client.get("/k/amal/").status_code == 200
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    assert post(coordinator, f"/k/amal/konton/{person.id}/ta-bort").status_code == 302
    assert client.get("/k/amal/").status_code == 404
    assert client.get("/k/bengtsfors/").status_code == 200
    assert audit_actions(app, "kommun_1460") == []  # Bengtsfors' trail is untouched


def test_deactivating_ends_the_persons_sessions_at_once(app, create_user, login):
    person = create_user(municipalities={"amal": "member"})
    client = login(person)
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    assert post(coordinator, f"/k/amal/konton/{person.id}/inaktivera").status_code == 302
    response = client.get("/k/amal/")
    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]
    assert ("deactivate", {"user_id": person.id}) in audit_actions(app, "kommun_1492")


def test_coordinator_cannot_deactivate_an_account_used_elsewhere(app, create_user, login):
    person = create_user(municipalities={"amal": "member", "bengtsfors": "member"})
    client = login(person)
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    assert post(coordinator, f"/k/amal/konton/{person.id}/inaktivera").status_code == 403
    assert client.get("/k/bengtsfors/").status_code == 200


def test_coordinator_cannot_change_their_own_role(app, create_user, login):
    me = create_user(municipalities={"amal": "coordinator"})
    client = login(me)
    response = post(
        client,
        f"/k/amal/konton/{me.id}/roll",
        {f"m{me.id}-role": "member", f"m{me.id}-organisation": ""},
    )
    assert response.status_code == 403
    assert membership(app, me.id, "amal").role.value == "coordinator"


def test_membership_names_an_organisation_of_the_municipality(
    app, create_user, login, make_organisation
):
    school = make_organisation("amal", "Kristinebergskolan")
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    assert invite(coordinator, organisation=str(school)).status_code == 302
    from samverka.modules.auth.operations import find_user_by_email

    with app.app_context():
        user_id = find_user_by_email("ny.person@example.se").id
    assert membership(app, user_id, "amal").organisation_id == school
    assert "Kristinebergskolan" in coordinator.get("/k/amal/konton/").get_data(as_text=True)


def test_organisation_of_another_municipality_is_refused(
    app, create_user, login, make_organisation, sent_mail
):
    own = make_organisation("amal", "Åmåls skola")
    foreign = make_organisation("bengtsfors", "Bengtsfors BUP", "bup")
    if foreign == own:  # ids are per schema and may coincide; take one Åmål does not have
        foreign = make_organisation("bengtsfors", "Bengtsfors polis", "police")
    coordinator = login(create_user(municipalities={"amal": "coordinator"}))
    assert invite(coordinator, organisation=str(foreign)).status_code == 422
    assert invite(coordinator, organisation="not-a-number").status_code == 422
    assert sent_mail() == []


def test_grant_membership_refuses_an_unknown_organisation(app, create_user, make_organisation):
    import pytest

    from samverka.extensions import db
    from samverka.modules.auth import operations as ops
    from samverka.modules.auth.models import MunicipalRole, User
    from samverka.modules.tenancy.queries import tenant_by_slug

    foreign = make_organisation("bengtsfors", "Bengtsfors polis", "police")
    person = create_user()
    with app.app_context():
        user = db.session.get(User, person.id)
        with pytest.raises(ops.AccountError, match="Organisationen finns inte i Åmåls kommun"):
            ops.grant_membership(user, tenant_by_slug("amal"), MunicipalRole.member, foreign)
        ops.grant_membership(user, tenant_by_slug("bengtsfors"), MunicipalRole.member, foreign)
        assert user.membership_in(tenant_by_slug("bengtsfors").id).organisation_id == foreign


def test_account_page_lists_every_municipality_with_its_organisation(
    app, create_user, login, make_organisation
):
    from samverka.extensions import db
    from samverka.modules.auth import operations as ops
    from samverka.modules.auth.models import MunicipalRole, User
    from samverka.modules.tenancy.queries import tenant_by_slug

    police = make_organisation("bengtsfors", "Polisen Dalsland", "police")
    person = create_user(municipalities={"amal": "member"})
    with app.app_context():
        user = db.session.get(User, person.id)
        ops.grant_membership(user, tenant_by_slug("bengtsfors"), MunicipalRole.coordinator, police)
        db.session.commit()
    page = login(person).get("/konto").get_data(as_text=True)
    assert "Åmåls kommun" in page and "Bengtsfors kommun" in page
    assert "Polisen Dalsland" in page
