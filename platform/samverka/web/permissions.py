"""Access decorators: every check answers 404 for foreign tenants and 403 for missing roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, g
from flask_login import current_user, login_required

from samverka.modules.auth.models import MunicipalRole, RegionRole


def platform_admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_platform_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def tenant_role_required(
    *roles: MunicipalRole,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Membership is checked for every tenant URL already; this narrows it to some roles."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if g.get("tenant") is None:
                abort(404)
            if roles and g.tenant_role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def region_role_required(*roles: RegionRole) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if g.get("region") is None:
                abort(404)
            if roles and not (g.region_roles & set(roles)):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def is_coordinator() -> bool:
    return g.get("tenant_role") == MunicipalRole.coordinator
