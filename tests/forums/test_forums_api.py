"""Forums API: members read their municipality's forums and organisations, nothing more."""

from __future__ import annotations

from tests.api.helpers import assert_problem, make_token


def test_member_lists_forums_page_by_page(create_user, login, make_forum):
    for n in range(27):
        make_forum("amal", name=f"Forum {n:02d}", future=0)
    client = login(create_user(municipalities={"amal": "member"}))
    first = client.get("/api/k/amal/forums")
    assert first.status_code == 200 and first.mimetype == "application/json"
    body = first.get_json()
    assert (body["page"], body["pages"], body["total"], len(body["items"])) == (1, 2, 27, 25)
    assert body["items"][0]["name"] == "Forum 00"
    assert body["items"][0]["level"] == "operational"
    second = client.get("/api/k/amal/forums?sida=2").get_json()
    assert [f["name"] for f in second["items"]] == ["Forum 25", "Forum 26"]


def test_forum_detail_has_cadence_members_and_next_meetings_but_no_contact_details(
    create_user, login, make_forum
):
    made = make_forum("amal", past=2, future=3)
    client = login(create_user(municipalities={"amal": "member"}))
    response = client.get(f"/api/k/amal/forums/{made['forum_id']}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "SSPF Testgruppen"
    assert body["cadence"]["kind"] == "monthly_weekday"
    assert [m["name"] for m in body["members"]] == ["Anna Rektor", "Sara Socialsekreterare"]
    assert body["members"][0]["is_convener"] is True
    assert len(body["next_meetings"]) == 3
    assert all(m["state"] == "planned" for m in body["next_meetings"])
    starts = [m["starts_at"] for m in body["next_meetings"]]
    assert starts == sorted(starts)
    assert {o["type"] for o in body["organisations"]} == {"school", "ifo"}
    assert "@example.se" not in response.get_data(as_text=True)


def test_unknown_forum_is_a_404_problem(create_user, login):
    client = login(create_user(municipalities={"amal": "member"}))
    assert_problem(client.get("/api/k/amal/forums/999"), 404)


def test_other_municipalitys_forums_answer_404_problem(create_user, login, make_forum):
    made = make_forum("bengtsfors")
    client = login(create_user(municipalities={"amal": "coordinator"}))
    assert_problem(client.get("/api/k/bengtsfors/forums"), 404)
    assert_problem(client.get(f"/api/k/bengtsfors/forums/{made['forum_id']}"), 404)
    assert_problem(client.get("/api/k/bengtsfors/organisations"), 404)
    # The same id in the user's own municipality does not exist there.
    assert_problem(client.get(f"/api/k/amal/forums/{made['forum_id']}"), 404)


def test_anonymous_caller_gets_401_problem(app):
    assert_problem(app.test_client().get("/api/k/amal/forums"), 401)


def test_organisations_listed_without_contact_person(create_user, login, in_tenant):
    from samverka.modules.forums.models import Organisation
    from samverka.modules.forums.vocabulary import Principal

    with in_tenant("amal") as session:
        session.add(
            Organisation(
                name="Polisen Dalsland",
                type="police",
                principal=Principal.stat,
                contact_name="Per Polis",
                contact_email="per@polisen.se",
            )
        )
        session.commit()
    client = login(create_user(municipalities={"amal": "member"}))
    response = client.get("/api/k/amal/organisations")
    body = response.get_json()
    assert body["total"] == 1
    assert body["items"][0] == {
        "id": body["items"][0]["id"],
        "name": "Polisen Dalsland",
        "type": "police",
        "principal": "stat",
        "active": True,
        "version": 1,  # the same as a single organisation's ETag
    }
    assert "Per Polis" not in response.get_data(as_text=True)


def test_bearer_token_reads_forums_of_its_owners_municipality(app, create_user, make_forum):
    make_forum("bengtsfors", name="Bengtsfors SSPF")
    user = create_user(municipalities={"bengtsfors": "member"})
    headers = {"Authorization": f"Bearer {make_token(app, user)}"}
    client = app.test_client()
    body = client.get("/api/k/bengtsfors/forums", headers=headers).get_json()
    assert [f["name"] for f in body["items"]] == ["Bengtsfors SSPF"]
    assert_problem(client.get("/api/k/amal/forums", headers=headers), 404)


def test_openapi_document_describes_the_forum_routes(app):
    from openapi_spec_validator import validate

    spec = app.test_client().get("/api/openapi.json").get_json()
    validate(spec)
    paths = spec["paths"]
    assert {
        "/api/k/{tenant}/forums",
        "/api/k/{tenant}/forums/{forum_id}",
        "/api/k/{tenant}/organisations",
    } <= paths.keys()
    detail = paths["/api/k/{tenant}/forums/{forum_id}"]["get"]
    assert detail["responses"]["404"]["content"]["application/problem+json"]
    assert "ForumDetail" in spec["components"]["schemas"]
