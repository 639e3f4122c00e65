"""Sign-in through a municipality's own OpenID Connect provider (authorization code + PKCE).

State, nonce and PKCE verifier live in the signed session cookie for one round trip; the
id_token's signature (provider JWKS), issuer, audience, expiry and nonce are all checked. An
account is found by verified e-mail and must already hold a membership there: the provider
proves who someone is, never what they may do.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import urllib.parse
import urllib.request
from typing import Any

import sqlalchemy as sa
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from samverka.extensions import db
from samverka.modules.auth.models_links import IdentityProvider
from samverka.modules.tenancy.models import Tenant, TenantKind

TIMEOUT_SECONDS = 10
#: A sign-in must come back from the provider within this many seconds.
ROUND_TRIP_SECONDS = 600
_MAX_BYTES = 512 * 1024
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class OidcError(Exception):
    """A sign-in through the identity provider that must be refused; the reason is for logs."""


def provider_for(slug: str) -> IdentityProvider | None:
    """The active provider of an active municipality, by the municipality's slug."""
    return db.session.scalar(
        sa.select(IdentityProvider)
        .join(Tenant, Tenant.id == IdentityProvider.tenant_id)
        .where(
            Tenant.slug == slug,
            Tenant.kind == TenantKind.municipality,
            Tenant.active,
            IdentityProvider.active,
        )
    )


def providers() -> list[IdentityProvider]:
    """Municipalities offering sign-in through their own provider, by name (for the log-in page)."""
    rows = db.session.scalars(
        sa.select(IdentityProvider)
        .join(Tenant, Tenant.id == IdentityProvider.tenant_id)
        .where(IdentityProvider.active, Tenant.active)
    ).all()
    return sorted(rows, key=lambda p: p.tenant.name)


def _check_url(url: str) -> str:
    """Only HTTPS, except to this machine (tests, a local provider)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS):
        return url
    raise OidcError(f"refused provider URL scheme {parts.scheme!r}")


def _read_json(request: urllib.request.Request | str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - checked scheme
            raw = response.read(_MAX_BYTES + 1)
    except OSError as exc:  # URLError and HTTPError are OSErrors
        raise OidcError(f"provider unreachable: {type(exc).__name__}") from exc
    if len(raw) > _MAX_BYTES:
        raise OidcError("provider answer too large")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise OidcError("provider answer is not JSON") from exc
    if not isinstance(data, dict):
        raise OidcError("provider answer is not a JSON object")
    return data


def metadata(provider: IdentityProvider) -> dict[str, Any]:
    """The provider's discovery document; its issuer must be the configured one."""
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    doc = _read_json(_check_url(url))
    if doc.get("issuer") != provider.issuer:
        raise OidcError("discovery issuer differs from the configured issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(doc.get(key), str):
            raise OidcError(f"discovery lacks {key}")
        _check_url(doc[key])
    return doc


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def begin(provider: IdentityProvider, redirect_uri: str) -> tuple[str, dict[str, Any]]:
    """The provider's authorize URL and what the session must remember until the answer."""
    doc = metadata(provider)
    pending = {
        "slug": provider.tenant.slug,
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(64),
        "at": int(time.time()),
    }
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": provider.client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid email",
            "state": pending["state"],
            "nonce": pending["nonce"],
            "code_challenge": _challenge(pending["verifier"]),
            "code_challenge_method": "S256",
        }
    )
    return f"{doc['authorization_endpoint']}?{query}", pending


def _client_secret(provider: IdentityProvider) -> str:
    secret = os.environ.get(provider.client_secret_env)
    if not secret:
        raise OidcError(f"environment variable {provider.client_secret_env} is not set")
    return secret


def finish(
    provider: IdentityProvider, pending: dict[str, Any], args: dict[str, str], redirect_uri: str
) -> dict[str, Any]:
    """Check the answer, exchange the code and return the id_token's verified claims."""
    if time.time() - pending.get("at", 0) > ROUND_TRIP_SECONDS:
        raise OidcError("sign-in took too long")
    if not hmac.compare_digest(str(args.get("state", "")), str(pending.get("state", ""))):
        raise OidcError("state mismatch")
    if args.get("error") or not args.get("code"):
        raise OidcError("provider returned no code")
    doc = metadata(provider)
    body = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": args["code"],
            "redirect_uri": redirect_uri,
            "client_id": provider.client_id,
            "client_secret": _client_secret(provider),
            "code_verifier": pending["verifier"],
        }
    ).encode()
    answer = _read_json(
        urllib.request.Request(  # noqa: S310 - checked scheme
            doc["token_endpoint"],
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    )
    id_token = answer.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("token answer has no id_token")
    keys = KeySet.import_key_set(_read_json(doc["jwks_uri"]))
    try:
        token = jwt.decode(id_token, keys, algorithms=["RS256", "ES256", "PS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": pending["nonce"]},
        ).validate(token.claims)
    except (JoseError, ValueError) as exc:
        raise OidcError(f"id_token refused: {type(exc).__name__}") from exc
    return token.claims
