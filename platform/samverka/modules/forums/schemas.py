"""Marshmallow schemas for the forums API: what a member of the municipality may read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from marshmallow import Schema, fields, validate

from samverka.modules.forums.vocabulary import ORGANISATION_TYPES, Principal
from samverka.web.input import Args

if TYPE_CHECKING:
    from samverka.modules.forums.models import Forum, Meeting


class OrganisationSchema(Schema):
    """An organisation without its contact person (look those up in the web interface)."""

    id = fields.Integer()
    name = fields.String()
    type = fields.String(metadata={"description": "Nyckel i den gemensamma typlistan"})
    principal = fields.Function(lambda o: o.principal.value)
    active = fields.Boolean()
    version = fields.Integer(metadata={"description": "Samma som svarets ETag"})


class OrganisationArgs(Args):
    """What a coordinator may change on an organisation through the API (all optional)."""

    name = fields.String(
        validate=[
            validate.Length(1, 200, error="Ange 1–200 tecken."),
            validate.Regexp(r"^[^\r\n]*$", error="Skriv allt på en rad, utan radbrytningar."),
        ]
    )
    type = fields.String(
        validate=validate.OneOf(list(ORGANISATION_TYPES), error="Okänd typ av organisation.")
    )
    principal = fields.String(
        validate=validate.OneOf([p.value for p in Principal], error="Okänd huvudman.")
    )
    active = fields.Boolean(error_messages={"invalid": "Ange true eller false."})


class ForumMemberSchema(Schema):
    """A forum member's role; contact details are left out of the API on purpose."""

    id = fields.Integer()
    name = fields.String()
    role_title = fields.String()
    organisation_id = fields.Integer(allow_none=True)
    is_convener = fields.Boolean()
    has_account = fields.Function(lambda m: m.user_id is not None)


class MeetingBriefSchema(Schema):
    id = fields.Integer()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    location = fields.String()
    state = fields.Function(lambda m: m.state.value)
    cadence_date = fields.Date(allow_none=True)


class CadenceSchema(Schema):
    kind = fields.Function(lambda f: f.cadence_kind.value)
    interval = fields.Integer(attribute="cadence_interval")
    weekday = fields.Integer(
        attribute="cadence_weekday", allow_none=True, metadata={"description": "0 = måndag"}
    )
    week_of_month = fields.Integer(
        attribute="cadence_week_of_month",
        allow_none=True,
        metadata={"description": "1–4, eller -1 för sista"},
    )
    dates = fields.List(fields.String(), attribute="cadence_dates")
    exceptions = fields.List(fields.String(), attribute="cadence_exceptions")
    start = fields.Date(attribute="cadence_start")
    until = fields.Date(attribute="cadence_until", allow_none=True)
    start_time = fields.Time()
    duration_minutes = fields.Integer()


class ForumSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    forum_type = fields.String()
    purpose = fields.String()
    level = fields.Function(lambda f: f.level.value)
    case_rule = fields.Function(lambda f: f.case_rule.value)
    state = fields.Function(lambda f: f.state.value)
    age_min = fields.Integer(allow_none=True)
    age_max = fields.Integer(allow_none=True)
    location = fields.String()
    version = fields.Integer(metadata={"description": "Samma som svarets ETag"})
    organisation_ids = fields.Function(lambda f: [o.id for o in f.organisations])


class ForumDetailSchema(ForumSchema):
    """One forum with its cadence, organisations, active members and next meetings."""

    cadence = fields.Nested(CadenceSchema)
    organisations = fields.List(fields.Nested(OrganisationSchema))
    members = fields.List(fields.Nested(ForumMemberSchema))
    agenda_skeleton = fields.List(fields.String())
    next_meetings = fields.List(fields.Nested(MeetingBriefSchema))

    def dump_forum(self, forum: Forum, meetings: list[Meeting]) -> dict:
        """Dump a forum; the nested parts are picked here so the schema stays declarative."""
        data = self.dump(forum)
        data["cadence"] = CadenceSchema().dump(forum)
        data["members"] = ForumMemberSchema(many=True).dump([m for m in forum.members if m.active])
        data["next_meetings"] = MeetingBriefSchema(many=True).dump(meetings)
        return data


class PageSchema(Schema):
    page = fields.Integer()
    pages = fields.Integer()
    total = fields.Integer()
    size = fields.Integer()


class ForumPageSchema(PageSchema):
    items = fields.List(fields.Nested(ForumSchema))


class OrganisationPageSchema(PageSchema):
    items = fields.List(fields.Nested(OrganisationSchema))
