"""The region's pages: anonymised forum activity compared across its municipalities."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from samverka.clock import local_today
from samverka.modules.auth.models import RegionRole
from samverka.modules.forums.vocabulary import LEVEL_LABELS
from samverka.modules.region.report import (
    LEVELS,
    MIN_EXPECTED,
    Report,
    forum_activity_report,
    org_type_label,
)
from samverka.modules.tenancy.queries import municipalities_of
from samverka.web import nav
from samverka.web.charts import Series, grouped_bars
from samverka.web.permissions import region_role_required

bp = Blueprint("region", __name__, url_prefix="/r/<slug:region>", template_folder="templates")

#: Up to this many municipalities the page draws the chart and opens the per-municipality tables;
#: a region of 49 or 290 gets the region totals first and the tables on demand (page size).
DETAIL_OPEN_MAX = 30


def _chart(report: Report) -> Markup:
    rows = report.rows
    return grouped_bars(
        "meetings-chart",
        _(
            "Genomförda och planerade möten per kommun, %(first)s–%(last)s",
            first=report.quarters[0],
            last=report.quarters[-1],
        ),
        _(
            "Stapeldiagram. För varje kommun visas antal planerade och antal genomförda möten "
            "under de fyra senaste kvartalen. Samma siffror finns i tabellen Möten per kvartal."
        ),
        [row.name for row in rows],
        [
            Series(_("Planerade"), _("planerade"), [row.planned() for row in rows]),
            Series(_("Genomförda"), _("genomförda"), [row.held() for row in rows]),
        ],
    )


@bp.route("/forumaktivitet")
@region_role_required()
def forum_activity():
    """Forums, meetings and attendance per municipality; counts only, small rates suppressed."""
    report = forum_activity_report(municipalities_of(g.region), local_today())
    return render_template(
        "region/forum_activity.html",
        region=g.region,
        report=report,
        chart=None if report.empty or len(report.rows) > DETAIL_OPEN_MAX else _chart(report),
        detail_open=len(report.rows) <= DETAIL_OPEN_MAX,
        levels=LEVELS,
        level_labels=LEVEL_LABELS,
        org_type_label=org_type_label,
        min_expected=MIN_EXPECTED,
        may_recompute=RegionRole.analyst in g.region_roles,
    )


@bp.route("/forumaktivitet/rakna-om", methods=["POST"])
@region_role_required(RegionRole.analyst)
def recompute_forum_activity():
    """Queue the recomputation for this region's municipalities and show the job's progress."""
    from samverka.modules.jobs.enqueue import enqueue_platform
    from samverka.modules.region.tasks import compute_forum_activity

    job = enqueue_platform(compute_forum_activity, g.region.id, user_id=current_user.id)
    flash(
        _("Siffrorna räknas om. Följ förloppet här och gå sedan tillbaka till forumaktiviteten."),
        "info",
    )
    return redirect(url_for("jobs.show", job_id=job.id))


nav.register("region", "region.forum_activity", _l("Forumaktivitet"), order=20)
