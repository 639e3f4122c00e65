"""The municipality's audit trail, for its coordinators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from samverka.modules.audit.labels import field_labels
from samverka.modules.audit.models import AuditEvent
from samverka.modules.auth.models import MunicipalRole
from samverka.web import nav
from samverka.web.pagination import paginate
from samverka.web.permissions import is_coordinator, tenant_role_required

bp = Blueprint("audit", __name__, url_prefix="/k/<slug:tenant>", template_folder="templates")


@bp.route("/logg")
@tenant_role_required(MunicipalRole.coordinator)
def log():
    """Who changed what and when, for the municipality's coordinators."""
    return log_page()


def log_page() -> str:
    """The log of the bound schema; names come from the shared account registry."""
    from samverka.modules.auth.queries import names_by_id

    page = paginate(sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    names = names_by_id({e.user_id for e in page.items if e.user_id})
    return render_template("audit/log.html", page=page, names=names, field_labels=field_labels)


nav.register("tenant", "audit.log", _l("Händelselogg"), allowed=is_coordinator, order=70)
