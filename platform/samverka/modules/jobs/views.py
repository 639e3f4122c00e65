"""Job status for the user who started it; failed jobs for platform admins."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from samverka.extensions import db
from samverka.modules.jobs.enqueue import dispatch_after_commit
from samverka.modules.jobs.labels import status_label
from samverka.modules.jobs.models import JobRecord, JobStatus
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
    return render_template("jobs/show.html", job=job_of_current_user(job_id), labels=labels)


@bp.route("/admin/jobb")
@platform_admin_required
def failed():
    query = (
        sa.select(JobRecord)
        .where(JobRecord.status == JobStatus.failed)
        .order_by(JobRecord.finished_at.desc())
    )
    return render_template(
        "jobs/list.html", page=paginate(query), title=_("Misslyckade jobb"), admin=True
    )


@bp.route("/admin/jobb/<token:job_id>/kor-igen", methods=["POST"])
@platform_admin_required
def retry(job_id: str):
    record = db.session.get(JobRecord, job_id)
    if record is None:
        abort(404)
    if record.status != JobStatus.failed:
        abort(409, _("Bara misslyckade jobb kan köras igen."))
    record.status, record.attempts, record.error, record.progress = JobStatus.queued, 0, None, 0
    dispatch_after_commit(job_id)
    flash(_("Jobbet är köat igen."), "success")
    return redirect(url_for("jobs.show", job_id=job_id))
