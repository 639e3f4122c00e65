"""The privacy notice (GDPR art. 13–14) and the accessibility statement, open to everyone."""

from __future__ import annotations

from flask import Blueprint, render_template

from samverka.modules.tenancy.models import TenantKind
from samverka.modules.tenancy.queries import all_tenants

bp = Blueprint("legal", __name__)


@bp.route("/personuppgifter")
def privacy():
    """Each municipality is controller for its own data; the list names them all."""
    municipalities = [t for t in all_tenants() if t.kind == TenantKind.municipality and t.active]
    return render_template("legal/privacy.html", municipalities=municipalities)


@bp.route("/tillganglighet")
def accessibility():
    return render_template("legal/accessibility.html")
