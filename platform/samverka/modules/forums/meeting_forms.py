"""Forms for a meeting page (Flask-WTF adds the CSRF token to each)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from samverka.modules.forums.forum_labels import ACTION_STATUS_LABELS
from samverka.modules.forums.meeting_ops import AttendanceRow
from samverka.modules.forums.models import (
    Attendance,
    AttendanceStatus,
    Forum,
    ForumMember,
    Organisation,
)


def _optional_int(value: object) -> int | None:
    """Select values: the empty option means "none"."""
    if value in (None, "", "None"):
        return None
    return int(value)  # type: ignore[arg-type]


class ConfirmForm(FlaskForm):
    """A button-only form (mark held, remove, move up/down): just the CSRF token."""


class MeetingForm(FlaskForm):
    day = DateField(_l("Datum"), validators=[InputRequired(_l("Ange datum."))])
    starts = TimeField(_l("Starttid"), validators=[InputRequired(_l("Ange starttid."))])
    ends = TimeField(_l("Sluttid"), validators=[InputRequired(_l("Ange sluttid."))])
    location = StringField(_l("Plats"), validators=[Length(max=200)])

    def validate_ends(self, field: TimeField) -> None:
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("Sluttiden måste vara efter starttiden."))


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Anledning"),
        validators=[DataRequired(_l("Ange varför mötet ställs in.")), Length(max=300)],
    )


def _member_choices(forum: Forum, keep: int | None = None) -> list[SelectChoice]:
    """Active members, plus ``keep`` (a current owner who has since left) so a save still works."""
    return [SelectChoice("", str(_l("Ingen")))] + [
        SelectChoice(str(m.id), m.name + (f" ({m.organisation.name})" if m.organisation else ""))
        for m in forum.members
        if m.active or m.id == keep
    ]


def _organisation_choices(forum: Forum) -> list[SelectChoice]:
    return [SelectChoice("", str(_l("Ingen")))] + [
        SelectChoice(str(o.id), o.name) for o in forum.organisations
    ]


class AgendaItemForm(FlaskForm):
    title = StringField(
        _l("Punkt"), validators=[DataRequired(_l("Skriv vad punkten gäller.")), Length(max=300)]
    )
    owner = SelectField(_l("Ansvarig"), coerce=_optional_int, validate_choice=True)
    minutes = IntegerField(
        _l("Tid (minuter)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=600, message=_l("Ange 1–600 minuter.")),
        ],
    )

    def __init__(
        self, forum: Forum, *args: object, keep_owner: int | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owner.choices = _member_choices(forum, keep_owner)


class DecisionForm(FlaskForm):
    text = TextAreaField(
        _l("Beslut"), validators=[DataRequired(_l("Skriv beslutet.")), Length(max=2000)]
    )


class ActionForm(FlaskForm):
    title = StringField(
        _l("Åtgärd"), validators=[DataRequired(_l("Skriv vad som ska göras.")), Length(max=300)]
    )
    owner = SelectField(_l("Ansvarig"), coerce=_optional_int, validate_choice=True)
    organisation = SelectField(_l("Organisation"), coerce=_optional_int, validate_choice=True)
    due_date = DateField(_l("Klart senast"), validators=[Optional()])

    def __init__(self, forum: Forum, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.owner.choices = _member_choices(forum)
        self.organisation.choices = _organisation_choices(forum)


class ActionStatusForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in ACTION_STATUS_LABELS.items()],
        validate_choice=True,
    )


class MinutesForm(FlaskForm):
    text = TextAreaField(
        _l("Minnesanteckningar"), validators=[Length(max=200_000)], render_kw={"rows": 18}
    )
    #: The version the text was based on; a save on an older version is a conflict.
    base_version = HiddenField(validators=[InputRequired()])

    def validate_base_version(self, field: HiddenField) -> None:
        try:
            field.data = int(field.data)
        except (TypeError, ValueError):
            raise ValidationError(_l("Ogiltig version.")) from None


class ApproveForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])


class AttachmentForm(FlaskForm):
    file = FileField(_l("Fil"), validators=[FileRequired(_l("Välj en fil att ladda upp."))])


class AttendanceSheet:
    """The attendance form: one status, organisation and stand-in name per member."""

    def __init__(
        self,
        members: list[ForumMember],
        organisations: Mapping[int, Organisation],
        recorded: Iterable[Attendance],
    ) -> None:
        self.members, self.organisations = members, organisations
        existing = {a.member_id: a for a in recorded if a.member_id is not None}
        #: What the form shows per member id: saved values, or what the user just entered.
        self.values: dict[int, dict[str, object]] = {}
        for m in members:
            row = existing.get(m.id)
            self.values[m.id] = {
                "status": row.status.value if row else "",
                "org": row.organisation_id if row else m.organisation_id,
                "stand_in": (row.stand_in_name or "") if row else "",
            }
        #: Field id -> message, so each error links to its field.
        self.errors: dict[str, str] = {}

    def read(self, formdata: Mapping[str, str]) -> list[AttendanceRow] | None:
        """The rows to save, or None (with ``errors`` filled) when something must be fixed."""
        statuses = {s.value for s in AttendanceStatus}
        rows = []
        for m in self.members:
            status = formdata.get(f"status-{m.id}", "")
            org_raw = formdata.get(f"org-{m.id}", "")
            stand_in = formdata.get(f"standin-{m.id}", "").strip()[:200]
            org = int(org_raw) if org_raw.isdigit() else None
            self.values[m.id] = {"status": status, "org": org, "stand_in": stand_in}
            if org_raw and org not in self.organisations:
                self.errors[f"org-{m.id}"] = str(_l("Välj en av forumets organisationer."))
            if not status:
                continue
            if status not in statuses:
                self.errors[f"status-{m.id}"] = str(_l("Välj en giltig status."))
            elif status == AttendanceStatus.stand_in and not stand_in:
                self.errors[f"standin-{m.id}"] = str(_l("Ange ersättarens namn."))
            else:
                rows.append(AttendanceRow(m.id, AttendanceStatus(status), org, stand_in or None))
        return None if self.errors else rows
