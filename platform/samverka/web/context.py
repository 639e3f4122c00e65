"""The tenant and region a request works in, resolved from the URL the server routes."""

from __future__ import annotations

from flask import Flask, abort, current_app, g, request
from flask_login import current_user

from samverka.db.session import bind_schema
from samverka.extensions import db, login_manager
from samverka.modules.tenancy.models import Tenant
from samverka.modules.tenancy.queries import active_municipality, active_region


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


def _resolve() -> object | None:
    """Bind the request to its tenant after checking that the user belongs there."""
    tenant_slug, region_slug = g.get("tenant_slug"), g.get("region_slug")
    if tenant_slug is None and region_slug is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if tenant_slug is not None:
        tenant = active_municipality(tenant_slug)
        # Unknown tenant and foreign tenant answer alike: 404, so URLs reveal nothing.
        role = current_user.role_in(tenant) if tenant else None
        if tenant is None or role is None:
            abort(404)
        # Keep the shared-schema bookkeeping of this request (the session's last-seen time)
        # before the switch: binding starts a new transaction on the tenant's engine.
        db.session.commit()
        bind_schema(db.session, tenant.schema_name)
        g.tenant, g.tenant_role = tenant, role
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
