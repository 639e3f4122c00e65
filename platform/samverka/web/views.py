"""Start page, language choice, tenant switcher and the municipality and region start pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from samverka.app import LANGUAGES
from samverka.extensions import db
from samverka.modules.tenancy.models import ExternalIndicator
from samverka.modules.tenancy.queries import municipalities_of
from samverka.web import nav
from samverka.web.permissions import is_coordinator, region_role_required, tenant_role_required

bp = Blueprint("web", __name__)


@bp.route("/")
def home():
    """Send people where they work: their only municipality, or a choice."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    places = current_user.municipalities
    if len(places) == 1 and not current_user.regions and not current_user.is_platform_admin:
        return redirect(url_for("web.tenant_home", tenant=places[0].slug))
    return render_template("home.html", municipalities=places, regions=current_user.regions)


@bp.route("/sprak", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "sv")
    if lang not in LANGUAGES:
        abort(400)
    target = request.form.get("next", "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        "lang",
        lang,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response


@bp.route("/byt")
@login_required
def switch_tenant():
    """The switcher: go to the same kind of page in another municipality the user belongs to."""
    slug = request.args.get("till", "")
    if not any(t.slug == slug for t in current_user.municipalities):
        abort(404)
    return redirect(url_for("web.tenant_home", tenant=slug))


@bp.route("/k/<slug:tenant>/")
@tenant_role_required()
def tenant_home():
    """The municipality's start page: the coordinator's overview and the person's own work."""
    from samverka.modules.forums import overview
    from samverka.modules.forums.overview_charts import overview_charts

    coordinator = charts = None
    if is_coordinator():
        coordinator = overview.coordinator_overview(
            overview.parse_window(request.args.get("moten"))
        )
        charts = overview_charts(coordinator)
    return render_template(
        "tenant_home.html",
        tenant=g.tenant,
        role=g.tenant_role,
        coordinator=coordinator,
        charts=charts,
        mine=overview.member_overview(current_user.id),
        today=overview.today_local(),
        windows=overview.ATTENDANCE_WINDOWS,
        stale_days=overview.STALE_DAYS,
    )


@bp.route("/r/<slug:region>/")
@region_role_required()
def region_home():
    """Regional start page: member municipalities and their published figures, nothing else."""
    municipalities = municipalities_of(g.region)
    figures = db.session.scalars(
        sa.select(ExternalIndicator)
        .where(ExternalIndicator.tenant_id.in_([m.id for m in municipalities]))
        .order_by(ExternalIndicator.indicator, ExternalIndicator.period)
    ).all()
    table: dict[str, dict[int, ExternalIndicator]] = {}
    for fig in figures:
        table.setdefault(fig.indicator, {})[fig.tenant_id] = fig
    return render_template(
        "region_home.html", region=g.region, municipalities=municipalities, table=table
    )


nav.register("tenant", "web.tenant_home", _l("Översikt"), order=10)
nav.register("region", "web.region_home", _l("Regionöversikt"), order=10)
