"""Sign-in through the municipality's identity provider, against a provider the tests start."""

from __future__ import annotations

import http.client
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.auth.oidc_provider import LocalProvider
from tests.conftest import csrf_token

SECRET_ENV = "SAMVERKA_TEST_OIDC_AMAL_SECRET"


@pytest.fixture
def provider(app, monkeypatch):
    """Åmål's provider, registered in shared.identity_providers."""
    from samverka.extensions import db
    from samverka.modules.auth.models_links import IdentityProvider
    from samverka.modules.tenancy.queries import tenant_by_slug

    monkeypatch.setenv(SECRET_ENV, "hemligt-klientlosen")
    with LocalProvider("samverka-amal", "hemligt-klientlosen") as running:
        with app.app_context():
            db.session.add(
                IdentityProvider(
                    tenant_id=tenant_by_slug("amal").id,
                    issuer=running.issuer,
                    client_id="samverka-amal",
                    client_secret_env=SECRET_ENV,
                )
            )
            db.session.commit()
        yield running


def start(client) -> str:
    response = client.post("/logga-in/kommun/amal", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def authorize(url: str) -> str:
    """What the browser does at the provider: returns the callback path with its query."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", f"{parts.path}?{parts.query}")
        answer = conn.getresponse()
        answer.read()
        assert answer.status == 302
        location = urlsplit(answer.getheader("Location"))
    finally:
        conn.close()
    return f"{location.path}?{location.query}"


def sign_in(client) -> object:
    return client.get(authorize(start(client)))


def test_login_page_offers_the_municipalitys_provider(app, provider):
    assert "Logga in via Åmåls kommun" in app.test_client().get("/logga-in").get_data(as_text=True)


def test_an_invited_person_signs_in_through_the_provider(app, provider, create_user):
    user = create_user(municipalities={"amal": "member"})
    provider.person = {"sub": "amal-42", "email": user.plain_email, "email_verified": True}
    client = app.test_client()
    url = start(client)
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    response = client.get(authorize(url))
    assert response.status_code == 302
    assert client.get("/k/amal/").status_code == 200
    assert "Den här inloggningen är stark" in client.get("/konto").get_data(as_text=True)
    assert provider.token_requests[-1]["code_verifier"]  # PKCE verifier sent to the provider


def test_a_wrong_state_is_refused(app, provider, create_user):
    user = create_user(municipalities={"amal": "member"})
    provider.person = {"sub": "1", "email": user.plain_email, "email_verified": True}
    client = app.test_client()
    callback = authorize(start(client))
    path, _sep, query = callback.partition("?")
    args = {k: v[0] for k, v in parse_qs(query).items()}
    args["state"] = "en-annan-state"
    response = client.get(f"{path}?{urlencode(args)}")
    assert response.status_code == 403
    assert provider.token_requests == []  # the code was never exchanged
    assert client.get("/k/amal/").status_code == 302


def test_a_callback_without_a_started_sign_in_is_refused(app, provider):
    response = app.test_client().get("/logga-in/kommun-svar?code=x&state=y")
    assert response.status_code == 403


def test_a_wrong_nonce_is_refused(app, provider, create_user):
    user = create_user(municipalities={"amal": "member"})
    provider.person = {"sub": "1", "email": user.plain_email, "email_verified": True}
    provider.nonce_override = "en-annan-nonce"
    client = app.test_client()
    assert sign_in(client).status_code == 403
    assert client.get("/k/amal/").status_code == 302


def test_an_id_token_not_signed_by_the_provider_is_refused(app, provider, create_user):
    from joserfc.jwk import RSAKey

    user = create_user(municipalities={"amal": "member"})
    provider.person = {"sub": "1", "email": user.plain_email, "email_verified": True}
    provider.forging_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    client = app.test_client()
    assert sign_in(client).status_code == 403
    assert client.get("/k/amal/").status_code == 302


def test_an_unverified_email_is_refused(app, provider, create_user):
    user = create_user(municipalities={"amal": "member"})
    provider.person = {"sub": "1", "email": user.plain_email, "email_verified": False}
    client = app.test_client()
    assert sign_in(client).status_code == 403
    assert client.get("/k/amal/").status_code == 302


def test_an_unknown_person_is_refused_and_no_account_is_created(app, provider):
    from samverka.modules.auth.operations import find_user_by_email

    provider.person = {"sub": "1", "email": "okand@amal.se", "email_verified": True}
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 403
    assert "Be kommunens samordnare om en inbjudan" in response.get_data(as_text=True)
    with app.app_context():
        assert find_user_by_email("okand@amal.se") is None


def test_an_account_of_another_municipality_is_refused(app, provider, create_user):
    user = create_user(municipalities={"bengtsfors": "coordinator"})
    provider.person = {"sub": "1", "email": user.plain_email, "email_verified": True}
    client = app.test_client()
    assert sign_in(client).status_code == 403
    assert client.get("/k/bengtsfors/").status_code == 302


def test_a_municipality_without_a_provider_has_no_sign_in(app, provider):
    client = app.test_client()
    response = client.post("/logga-in/kommun/bengtsfors", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 404


def test_starting_without_csrf_token_is_refused(app, provider):
    assert app.test_client().post("/logga-in/kommun/amal").status_code == 400


def test_cli_sets_and_turns_off_a_provider(app, runner):
    from samverka.cli import cli

    result = runner.invoke(
        cli,
        [
            "users",
            "idp",
            "bengtsfors",
            "--issuer",
            "https://login.bengtsfors.se",
            "--client-id",
            "samverka",
            "--secret-env",
            "BENGTSFORS_OIDC_SECRET",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Logga in via Bengtsfors kommun" in app.test_client().get("/logga-in").get_data(
        as_text=True
    )
    assert runner.invoke(cli, ["users", "idp", "bengtsfors", "--off"]).exit_code == 0
    assert "Bengtsfors" not in app.test_client().get("/logga-in").get_data(as_text=True)


def test_cli_refuses_a_plain_http_issuer(runner):
    from samverka.cli import cli

    result = runner.invoke(
        cli,
        [
            "users",
            "idp",
            "amal",
            "--issuer",
            "http://login.amal.se",
            "--client-id",
            "x",
            "--secret-env",
            "X",
        ],
    )
    assert result.exit_code != 0 and "https" in result.output
