"""Job status for the user who started it; every unfinished or failed job for platform admins."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.jobs import operations as ops
from samverka.modules.jobs.labels import status_label
from samverka.modules.jobs.models import JobRecord, JobStatus
from samverka.modules.jobs.registry import return_path
from samverka.modules.jobs.runner import stale_after
from samverka.modules.tenancy.models import Tenant
from samverka.web.pagination import paginate
from samverka.web.permissions import platform_admin_required

bp = Blueprint("jobs", __name__)


def job_of_current_user(job_id: str) -> JobRecord:
    record = db.session.get(JobRecord, job_id)
    if record is None or (record.user_id != current_user.id and not current_user.is_platform_admin):
        abort(404)
    return record


@bp.route("/jobb")
@login_required
def mine():
    query = (
        sa.select(JobRecord)
        .where(JobRecord.user_id == current_user.id)
        .order_by(JobRecord.created_at.desc())
    )
    return render_template("jobs/list.html", page=paginate(query), title=_("Mina jobb"))


@bp.route("/jobb/<token:job_id>")
@login_required
def show(job_id: str):
    labels = {status.value: status_label(status) for status in JobStatus}
    job = job_of_current_user(job_id)
    return render_template(
        "jobs/show.html",
        job=job,
        labels=labels,
        stale=ops.is_stale(job),
        ops=ops,
        started_from=return_path(job.task, job.args),
    )


#: The admin page's filters: what needs attention first, then each state.
ADMIN_FILTERS = {
    "attention": _l("Behöver ses över"),
    "queued": _l("Köade"),
    "running": _l("Pågår"),
    "stale": _l("Har fastnat"),
    "failed": _l("Misslyckade"),
    "cancelled": _l("Avbrutna"),
}


def _filtered(name: str) -> sa.Select:
    query = sa.select(JobRecord)
    beat = sa.func.coalesce(JobRecord.heartbeat_at, JobRecord.started_at)
    cutoff = utcnow() - stale_after(current_app)
    running = JobRecord.status == JobStatus.running
    conditions = {
        "attention": JobRecord.status.in_(
            [JobStatus.queued, JobStatus.retrying, JobStatus.running, JobStatus.failed]
        ),
        "queued": JobRecord.status.in_([JobStatus.queued, JobStatus.retrying]),
        "running": sa.and_(running, beat >= cutoff),
        "stale": sa.and_(running, sa.or_(beat.is_(None), beat < cutoff)),
        "failed": JobRecord.status == JobStatus.failed,
        "cancelled": JobRecord.status == JobStatus.cancelled,
    }
    return query.where(conditions[name]).order_by(JobRecord.created_at.desc())


@bp.route("/admin/jobb")
@platform_admin_required
def overview():
    """Every job that is not simply done: queued, running, stuck, failed or cancelled."""
    name = request.args.get("visa", "attention")
    if name not in ADMIN_FILTERS:
        abort(404)
    return render_template(
        "jobs/admin.html",
        page=paginate(_filtered(name)),
        filters=ADMIN_FILTERS,
        current=name,
        title=_("Bakgrundsjobb"),
        now=utcnow(),
        stale_after=stale_after(current_app),
        ops=ops,
        tenants=dict(db.session.execute(sa.select(Tenant.id, Tenant.name)).all()),
    )


def _admin_action(job_id: str, action: Callable[[JobRecord], None], done: str):
    record = db.session.get(JobRecord, job_id)
    if record is None:
        abort(404)
    try:
        action(record)
    except ops.JobStateConflict as exc:
        abort(409, str(exc))
    flash(done, "success")
    target = request.form.get("next", "")
    if target.startswith("/admin/jobb") and "//" not in target:
        return redirect(target)
    return redirect(url_for("jobs.show", job_id=job_id))


@bp.route("/admin/jobb/<token:job_id>/kor-igen", methods=["POST"])
@platform_admin_required
def retry(job_id: str):
    return _admin_action(job_id, ops.retry, _("Jobbet är köat igen."))


@bp.route("/admin/jobb/<token:job_id>/avbryt", methods=["POST"])
@platform_admin_required
def cancel(job_id: str):
    return _admin_action(job_id, ops.cancel, _("Jobbet är avbrutet."))
