"""Marshmallow schemas for meetings and what belongs to them, out (``Schema``) and in (``Args``).

Names, minutes, decisions, actions and attachments are dumped only for callers who may read the
minutes (``can_view_minutes``), exactly as the meeting page shows them.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as SchemaError

from samverka.modules.forums.models import ActionStatus, AttendanceStatus
from samverka.modules.forums.schemas import PageSchema
from samverka.web.input import Args

_ONE_LINE = validate.Regexp(r"^[^\r\n]*$", error="Skriv allt på en rad, utan radbrytningar.")
#: Local wall-clock time in Stockholm, hours and minutes only (no offset: the forum's own zone).
_CLOCK = {
    "error_messages": {"invalid": "Ange tid som TT:MM."},
    "metadata": {"pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "13:00"},
}
_ID = {"validate": validate.Range(1, 2**31 - 1, error="Ogiltigt id.")}


class AgendaItemSchema(Schema):
    id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    owner_member_id = fields.Integer(allow_none=True)
    minutes = fields.Integer(allow_none=True)
    action_id = fields.Integer(allow_none=True)
    version = fields.Integer(metadata={"description": "Samma som svarets ETag"})


class PublicAgendaItemSchema(AgendaItemSchema):
    """An agenda item for a municipality member outside the forum: without its owner."""

    class Meta:
        exclude = ("owner_member_id",)


class DecisionSchema(Schema):
    id = fields.Integer()
    text = fields.String()
    created_at = fields.DateTime()


class ActionSchema(Schema):
    id = fields.Integer()
    meeting_id = fields.Integer(allow_none=True)
    title = fields.String()
    owner_member_id = fields.Integer(allow_none=True)
    organisation_id = fields.Integer(allow_none=True)
    due_date = fields.Date(allow_none=True)
    status = fields.Function(lambda a: a.status.value)
    version = fields.Integer(metadata={"description": "Samma som svarets ETag"})


class AttachmentSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    size = fields.Integer()
    content_type = fields.String()
    uploaded_at = fields.DateTime()


class MeetingSchema(Schema):
    """A meeting as every member of the municipality sees it."""

    id = fields.Integer()
    forum_id = fields.Integer()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    location = fields.String()
    state = fields.Function(lambda m: m.state.value)
    cadence_date = fields.Date(allow_none=True)
    version = fields.Integer(metadata={"description": "Samma som svarets ETag"})


class MeetingPageSchema(PageSchema):
    items = fields.List(fields.Nested(MeetingSchema))


class MeetingDetailSchema(MeetingSchema):
    """One meeting; the parts after the agenda only for those who may read the minutes."""

    agenda = fields.List(fields.Nested(AgendaItemSchema))
    cancel_reason = fields.String()
    minutes_status = fields.String()
    decisions = fields.List(fields.Nested(DecisionSchema))
    actions_raised = fields.List(fields.Nested(ActionSchema))
    actions_followed_up = fields.List(fields.Nested(ActionSchema))
    attachments = fields.List(fields.Nested(AttachmentSchema))


class MeetingArgs(Args):
    """A new meeting outside the cadence, or a planned meeting's new date, time or place."""

    day = fields.Date(required=True, error_messages={"invalid": "Ange datum som ÅÅÅÅ-MM-DD."})
    starts = fields.Time(required=True, format="%H:%M", **_CLOCK)
    ends = fields.Time(required=True, format="%H:%M", **_CLOCK)
    location = fields.String(load_default="", validate=[validate.Length(max=200), _ONE_LINE])

    @validates_schema
    def _ends_after_start(self, data: dict, **kwargs: object) -> None:
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            raise SchemaError("Mötet måste sluta efter att det börjar.", "ends")


class AgendaItemArgs(Args):
    title = fields.String(
        required=True,
        validate=[
            validate.Length(1, 300, error="Skriv vad punkten gäller (1–300 tecken)."),
            _ONE_LINE,
        ],
    )
    owner_member_id = fields.Integer(load_default=None, allow_none=True, strict=True, **_ID)
    minutes = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(1, 600, error="Ange 1–600 minuter."),
    )


class AttendanceRowSchema(Schema):
    member_id = fields.Integer(allow_none=True)
    organisation_id = fields.Integer(allow_none=True)
    status = fields.Function(lambda a: a.status.value)
    stand_in_name = fields.String(allow_none=True)


class AttendanceSchema(Schema):
    rows = fields.List(fields.Nested(AttendanceRowSchema))
    marker = fields.String(metadata={"description": "Samma som svarets ETag"})


class MemberAttendanceArgs(Args):
    member_id = fields.Integer(required=True, strict=True, **_ID)
    status = fields.String(
        required=True, validate=validate.OneOf([s.value for s in AttendanceStatus])
    )
    organisation_id = fields.Integer(load_default=None, allow_none=True, strict=True, **_ID)
    stand_in_name = fields.String(load_default="", validate=[validate.Length(max=200), _ONE_LINE])


class OrganisationAttendanceArgs(Args):
    organisation_id = fields.Integer(required=True, strict=True, **_ID)
    status = fields.String(
        required=True, validate=validate.OneOf([s.value for s in AttendanceStatus])
    )
    stand_in_name = fields.String(load_default="", validate=[validate.Length(max=200), _ONE_LINE])


class AttendanceArgs(Args):
    """The whole attendance of a meeting; saving replaces what was saved before."""

    members = fields.List(fields.Nested(MemberAttendanceArgs), load_default=list)
    organisations = fields.List(fields.Nested(OrganisationAttendanceArgs), load_default=list)


class DecisionArgs(Args):
    text = fields.String(
        required=True, validate=validate.Length(1, 2000, error="Skriv beslutet (1–2000 tecken).")
    )


class ActionArgs(Args):
    title = fields.String(
        required=True,
        validate=[
            validate.Length(1, 300, error="Skriv vad som ska göras (1–300 tecken)."),
            _ONE_LINE,
        ],
    )
    owner_member_id = fields.Integer(load_default=None, allow_none=True, strict=True, **_ID)
    organisation_id = fields.Integer(load_default=None, allow_none=True, strict=True, **_ID)
    due_date = fields.Date(
        load_default=None, allow_none=True, error_messages={"invalid": "Ange datum som ÅÅÅÅ-MM-DD."}
    )


class ActionStatusArgs(Args):
    status = fields.String(
        required=True,
        validate=validate.OneOf([s.value for s in ActionStatus], error="Okänd status."),
    )


class MinutesSchema(Schema):
    html = fields.String(attribute="minutes_html")
    version = fields.Integer(attribute="minutes_version")
    status = fields.Function(lambda m: m.minutes_status.value)
    approved_at = fields.DateTime(attribute="minutes_approved_at", allow_none=True)


class MinutesVersionSchema(Schema):
    version = fields.Integer()
    html = fields.String()
    saved_at = fields.DateTime()


class MinutesVersionPageSchema(PageSchema):
    items = fields.List(fields.Nested(MinutesVersionSchema))


class MinutesConflictSchema(Schema):
    """A refused save: your text and the version someone else saved, side by side."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    mine = fields.String()
    latest = fields.Nested(MinutesVersionSchema, allow_none=True)


class MinutesArgs(Args):
    text = fields.String(required=True, validate=validate.Length(max=200_000))
    base_version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(0, 2**31 - 2, error="Ogiltig version."),
        metadata={"description": "Versionen texten bygger på (från GET …/minutes)"},
    )


class ApproveArgs(Args):
    version = fields.Integer(
        required=True, strict=True, validate=validate.Range(1, 2**31 - 2, error="Ogiltig version.")
    )
