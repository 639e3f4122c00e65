"""Minutes and attachments of a meeting: only for those who may read the minutes."""

from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, flash, g, render_template, request, send_file
from flask_babel import gettext as _

from samverka.modules.forums import meeting_ops as ops
from samverka.modules.forums import minutes as minutes_ops
from samverka.modules.forums.meeting_forms import (
    ApproveForm,
    AttachmentForm,
    MinutesForm,
    parse_small_int,
)
from samverka.modules.forums.meeting_loaders import (
    current_user_id,
    load_child,
    load_meeting,
    working_meeting,
)
from samverka.modules.forums.models import Attachment
from samverka.modules.forums.permissions import can_edit_forum, can_view_minutes, require
from samverka.modules.forums.views_meetings import (
    MEETING,
    back_to,
    bp,
    render_form,
    render_show,
    user_names,
)
from samverka.modules.storage import FileRejected, StorageError, read_for_tenant
from samverka.modules.storage.lifecycle import current_storage, discard_file, upload_file
from samverka.modules.storage.pages import file_error_page, unavailable_message
from samverka.web.pagination import paginate

# --- minutes --------------------------------------------------------------------------------


@bp.route(MEETING + "/anteckningar", methods=["GET", "POST"])
def edit_minutes(forum_id: int, meeting_id: int):
    """Edit the minutes; a save based on an old version shows both texts instead of overwriting."""
    meeting = working_meeting(forum_id, meeting_id)
    form = MinutesForm()
    if request.method == "GET":
        form.text.data, form.base_version.data = meeting.minutes_html, meeting.minutes_version
    elif form.validate_on_submit():
        result = minutes_ops.save_minutes(
            meeting, form.text.data or "", form.base_version.data, current_user_id()
        )
        if result.saved:
            flash(
                _("Minnesanteckningarna är sparade (version %(n)d).", n=result.version), "success"
            )
            if result.was_approved:
                flash(
                    _(
                        "Anteckningarna var godkända. De är nu ett utkast och behöver godkännas igen."
                    ),
                    "warning",
                )
            return back_to(meeting, "minutes")
        latest = minutes_ops.get_version(meeting, meeting.minutes_version)
        mine = form.text.data or ""
        form.base_version.data = meeting.minutes_version
        return render_template(
            "meetings/minutes_conflict.html",
            forum=meeting.forum,
            meeting=meeting,
            form=form,
            mine=mine,
            latest=latest,
            names=user_names({latest.saved_by if latest else None}),
        ), 409
    return render_form("meetings/minutes_edit.html", form, meeting.forum, meeting=meeting)


@bp.route(MEETING + "/anteckningar/godkann", methods=["POST"])
def approve_minutes(forum_id: int, meeting_id: int):
    meeting = load_meeting(forum_id, meeting_id)
    require(can_edit_forum(meeting.forum))
    form = ApproveForm()
    valid = form.validate_on_submit()
    version = parse_small_int(form.version.data)
    if valid and version is None:
        abort(400, _("Ogiltig version av minnesanteckningarna. Ladda om sidan och försök igen."))
    if valid and not ops.has_started(meeting):
        flash(_("Mötet har inte börjat än, så anteckningarna kan inte godkännas."), "error")
    elif (
        valid
        and version is not None
        and minutes_ops.approve_minutes(meeting, version, current_user_id())
    ):
        flash(_("Minnesanteckningarna är godkända."), "success")
    else:
        flash(
            _(
                "Anteckningarna kunde inte godkännas: de är tomma eller har ändrats sedan du läste dem."
            ),
            "error",
        )
    return back_to(meeting, "minutes")


@bp.route(MEETING + "/anteckningar/versioner")
def minutes_history(forum_id: int, meeting_id: int):
    meeting = load_meeting(forum_id, meeting_id)
    require(can_view_minutes(meeting.forum))
    page = paginate(minutes_ops.versions_query(meeting))
    return render_template(
        "meetings/minutes_history.html",
        forum=meeting.forum,
        meeting=meeting,
        page=page,
        names=user_names({v.saved_by for v in page.items}),
    )


@bp.route(MEETING + "/anteckningar/versioner/<id:version>")
def minutes_version(forum_id: int, meeting_id: int, version: int):
    meeting = load_meeting(forum_id, meeting_id)
    require(can_view_minutes(meeting.forum))
    found = minutes_ops.get_version(meeting, version)
    if found is None:
        abort(404)
    return render_template(
        "meetings/minutes_version.html",
        forum=meeting.forum,
        meeting=meeting,
        version=found,
        names=user_names({found.saved_by}),
    )


# --- attachments ----------------------------------------------------------------------------


def max_upload_bytes() -> int:
    """The per-file limit from the settings (the request limit leaves room for the form)."""
    return current_app.config["SETTINGS"].upload_max_mb * 1024 * 1024


@bp.route(MEETING + "/bilagor", methods=["POST"])
def upload(forum_id: int, meeting_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    form = AttachmentForm(prefix="attachment")
    if not form.validate_on_submit():
        return render_show(meeting, 422, attachment_form=form)
    upload = form.file.data
    try:
        stored = upload_file(
            g.tenant.schema_name,
            "forums",
            upload.filename or "",
            upload.read(),
            max_upload_bytes(),
        )
    except FileRejected as exc:
        form.file.errors = [exc.message]
        return render_show(meeting, 422, attachment_form=form)
    except StorageError:
        form.file.errors = [unavailable_message()]
        return render_show(meeting, 503, attachment_form=form)
    ops.add_attachment(meeting, stored, current_user_id())
    flash(_("Bilagan är uppladdad."), "success")
    return back_to(meeting, "attachments")


@bp.route(MEETING + "/bilagor/<id:attachment_id>")
def download(forum_id: int, meeting_id: int, attachment_id: int):
    meeting = load_meeting(forum_id, meeting_id)
    require(can_view_minutes(meeting.forum))
    attachment = load_child(Attachment, attachment_id, meeting)
    try:
        data = read_for_tenant(current_storage(), g.tenant.schema_name, attachment.storage_key)
    except StorageError as exc:
        return file_error_page(exc)
    return send_file(
        BytesIO(data),
        mimetype=attachment.content_type.split(";")[0].strip(),  # send_file adds the charset
        as_attachment=True,
        download_name=attachment.filename,
    )


@bp.route(MEETING + "/bilagor/<id:attachment_id>/ta-bort", methods=["POST"])
def remove_attachment(forum_id: int, meeting_id: int, attachment_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    key = ops.remove_attachment(meeting, load_child(Attachment, attachment_id, meeting))
    # The bytes go only once the row is gone for good (a job, retried until the store answers).
    discard_file(key)
    flash(_("Bilagan är borttagen."), "success")
    return back_to(meeting, "attachments")
