"""Attachments over the API: upload (multipart), download and delete.

The same storage policy as the meeting page (``save_upload``: size, type, safe name, tenant key);
downloads for those who may read the minutes, changes for the forum's members and coordinators.
"""

from __future__ import annotations

from io import BytesIO

from flask import g, request, send_file
from flask_babel import gettext as _

from samverka.api.blueprint import bp
from samverka.api.common import created, no_content, path_id, refuse
from samverka.api.spec import document, problem_response
from samverka.extensions import db
from samverka.modules.forums import meeting_ops as ops
from samverka.modules.forums.api_meetings import (
    DOC_MEETING,
    FORBIDDEN,
    MEETING,
    MEETING_PARAMS,
    TAGS,
)
from samverka.modules.forums.meeting_loaders import (
    current_user_id,
    load_child,
    load_meeting,
    working_meeting,
)
from samverka.modules.forums.meeting_schemas import AttachmentSchema
from samverka.modules.forums.models import Attachment
from samverka.modules.forums.permissions import can_view_minutes, require
from samverka.modules.forums.views_minutes import max_upload_bytes
from samverka.modules.storage import FileMissing, FileRejected, StorageError, read_for_tenant
from samverka.modules.storage.lifecycle import current_storage, discard_file, upload_file
from samverka.modules.storage.pages import unavailable_message

UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        }
    },
}


@bp.route(MEETING + "/attachments", methods=["POST"])
@document(
    DOC_MEETING + "/attachments",
    post={
        "summary": "Ladda upp en bilaga (multipart/form-data, fältet file)",
        "operationId": "uploadAttachment",
        "tags": TAGS,
        "parameters": MEETING_PARAMS,
        "requestBody": UPLOAD_BODY,
        "responses": {
            "201": {
                "description": "Uppladdad",
                "content": {"application/json": {"schema": AttachmentSchema}},
            },
            "400": problem_response("Ingen fil i fältet file"),
            "403": FORBIDDEN,
            "413": problem_response("Filen är för stor"),
            "503": problem_response("Filarkivet svarar inte: ingenting sparades"),
            "422": problem_response(
                "Filen avvisades (typ, storlek eller namn): ingenting sparades"
            ),
        },
    },
)
def api_upload(forum_id: int, meeting_id: int):
    meeting = working_meeting(forum_id, meeting_id)
    upload = request.files.get("file")
    if upload is None:
        refuse(400, _("Skicka filen som multipart/form-data i fältet file."))
    try:
        stored = upload_file(
            g.tenant.schema_name,
            "forums",
            upload.filename or "",
            upload.read(),
            max_upload_bytes(),
        )
    except FileRejected as exc:
        refuse(422, exc.message)
    except StorageError:
        refuse(503, unavailable_message())
    # upload_file tracks the bytes until commit, so a failing insert leaves no orphan behind.
    attachment = ops.add_attachment(meeting, stored, current_user_id())
    db.session.flush()
    return created(AttachmentSchema().dump(attachment))


@bp.route(MEETING + "/attachments/<id:attachment_id>", methods=["GET", "DELETE"])
@document(
    DOC_MEETING + "/attachments/{attachment_id}",
    get={
        "summary": "Hämta en bilaga",
        "operationId": "downloadAttachment",
        "tags": TAGS,
        "parameters": [*MEETING_PARAMS, path_id("attachment_id")],
        "responses": {
            "200": {
                "description": "Filen",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            },
            "403": FORBIDDEN,
            "503": problem_response("Filarkivet svarar inte"),
        },
    },
    delete={
        "summary": "Ta bort en bilaga",
        "operationId": "removeAttachment",
        "tags": TAGS,
        "parameters": [*MEETING_PARAMS, path_id("attachment_id")],
        "responses": {"204": {"description": "Borttagen"}, "403": FORBIDDEN},
    },
)
def api_attachment(forum_id: int, meeting_id: int, attachment_id: int):
    if request.method == "GET":
        meeting = load_meeting(forum_id, meeting_id)
        require(can_view_minutes(meeting.forum))
        attachment = load_child(Attachment, attachment_id, meeting)
        try:
            data = read_for_tenant(current_storage(), g.tenant.schema_name, attachment.storage_key)
        except FileMissing:
            refuse(404, _("Filen saknas i filarkivet. Ladda upp den igen."))
        except StorageError:
            refuse(503, _("Filen kan inte hämtas just nu. Försök igen om en stund."))
        return send_file(
            BytesIO(data),
            # The stored type may carry a charset; werkzeug adds one to text types itself.
            mimetype=attachment.content_type.split(";")[0].strip(),
            as_attachment=True,
            download_name=attachment.filename,
        )
    meeting = working_meeting(forum_id, meeting_id)
    key = ops.remove_attachment(meeting, load_child(Attachment, attachment_id, meeting))
    # The bytes go only once the row is gone for good (a job, retried until the store answers).
    discard_file(key)
    return no_content()
