"""The tenant and region a request works in, resolved from the URL the server routes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, request
from flask_login import current_user

from samverka.db.session import bind_schema, tenant_session
from samverka.extensions import db, login_manager
from samverka.modules.auth.models import MunicipalRole
from samverka.modules.tenancy.models import Tenant, TenantKind
from samverka.modules.tenancy.queries import active_region


def current_tenant() -> Tenant:
    """The municipality of this request; refuse (fail closed) outside a tenant URL."""
    tenant = g.get("tenant")
    if tenant is None:
        raise RuntimeError("no tenant bound to this request")
    return tenant


def _pop_slugs(endpoint: str | None, values: dict | None) -> None:
    if values:
        g.tenant_slug = values.pop("tenant", None)
        g.region_slug = values.pop("region", None)


def _fill_slugs(endpoint: str, values: dict) -> None:
    url_map = current_app.url_map
    for key in ("tenant", "region"):
        bound = g.get(key)
        if key not in values and bound is not None and url_map.is_endpoint_expecting(endpoint, key):
            values[key] = bound.slug


def _schema_of(slug: str) -> str | None:
    """A municipality's schema name, remembered per process: a slug's schema never changes."""
    cache: dict[str, str] = current_app.extensions.setdefault("samverka.schema_by_slug", {})
    schema = cache.get(slug)
    if schema is None:
        with tenant_session(None) as session:  # keeps the request's session unbound until known
            schema = session.scalar(
                sa.select(Tenant.schema_name).where(
                    Tenant.slug == slug, Tenant.kind == TenantKind.municipality
                )
            )
        if schema is not None:
            cache[slug] = schema
    return schema


def _membership(slug: str) -> tuple[Tenant, MunicipalRole] | None:
    """The active municipality and the user's role there.

    Read through the user's memberships, which the layout's municipality switcher loads anyway, so
    the check costs no query of its own.
    """
    for membership in current_user.memberships:
        tenant = membership.tenant
        if tenant.slug == slug and tenant.active and tenant.kind == TenantKind.municipality:
            return tenant, membership.role
    return None


def _bind_tenant(slug: str) -> None:
    """Bind the session before its first query, then check membership (404 when missing).

    Binding first means one transaction and one connection per request; nothing is read from the
    tenant schema before the membership check, and a refusal unbinds again.
    """
    schema = _schema_of(slug)
    if schema is not None:
        bind_schema(db.session, schema)
    found = _membership(slug) if schema is not None and current_user.is_authenticated else None
    if found is None:
        db.session.commit()  # keeps the session's last-seen time; nothing else is pending
        bind_schema(db.session, None)
        if not current_user.is_authenticated:
            return
        # Unknown tenant and foreign tenant answer alike: 404, so URLs reveal nothing.
        abort(404)
    g.tenant, g.tenant_role = found


def _resolve() -> object | None:
    """Bind the request to its tenant after checking that the user belongs there."""
    tenant_slug, region_slug = g.get("tenant_slug"), g.get("region_slug")
    if tenant_slug is None and region_slug is None:
        return None
    if tenant_slug is not None:
        _bind_tenant(tenant_slug)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if region_slug is not None:
        region = active_region(region_slug)
        roles = current_user.region_roles_in(region) if region else set()
        if region is None or not roles:
            abort(404)
        g.region, g.region_roles = region, roles
    return None


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_pop_slugs)
    app.url_defaults(_fill_slugs)
    app.before_request(_resolve)


def wants_json() -> bool:
    return request.path.startswith("/api/")
