"""Platform admin pages: tenants with their schema version; accounts, activation."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from samverka.db.migrate import TENANT_ENV, MigrationTarget, tenant_versions
from samverka.extensions import db
from samverka.modules.auth import operations as ops
from samverka.modules.auth.models import MunicipalRole, RegionRole, User
from samverka.modules.tenancy.queries import all_tenants
from samverka.web import nav
from samverka.web.pagination import paginate
from samverka.web.permissions import platform_admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@platform_admin_required
def tenants():
    rows = all_tenants()
    target = MigrationTarget.from_settings(current_app.config["SETTINGS"])
    versions = tenant_versions(target, [t.schema_name for t in rows if t.schema_name])
    return render_template(
        "admin/tenants.html", tenants=rows, versions=versions, head=target.head(TENANT_ENV)
    )


@bp.route("/konton")
@platform_admin_required
def users():
    return render_template(
        "admin/users.html",
        page=paginate(sa.select(User).order_by(User.id)),
        role_labels=_role_labels(),
    )


def _role_labels() -> dict[str, str]:
    """Swedish names for the role codes stored on memberships and region roles."""
    return {
        MunicipalRole.coordinator: _("samordnare"),
        MunicipalRole.member: _("medlem"),
        RegionRole.analyst: _("analytiker"),
        RegionRole.facilitator: _("processledare"),
        RegionRole.steward: _("regional utvecklare"),
    }


@bp.route("/konton/<id:user_id>/aktiv", methods=["POST"])
@platform_admin_required
def toggle_active(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    ops.set_active(user, not user.active)
    flash(
        _("Kontot är aktiverat.")
        if user.active
        else _("Kontot är inaktiverat och alla dess inloggningar har avslutats."),
        "success",
    )
    return redirect(url_for("admin.users"))


nav.register("platform", "admin.tenants", _l("Organisationer"), order=80)
nav.register("platform", "admin.users", _l("Konton"), order=81)
nav.register("platform", "jobs.overview", _l("Bakgrundsjobb"), order=82)
nav.register("user", "jobs.mine", _l("Mina jobb"), order=90)
