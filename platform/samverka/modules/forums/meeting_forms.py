"""Forms for a meeting page (Flask-WTF adds the CSRF token to each)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from flask_babel import lazy_gettext as _l
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

from samverka.clock import local, local_today
from samverka.modules.forums.forum_labels import ACTION_STATUS_LABELS
from samverka.modules.forums.meeting_ops import AttendanceRow
from samverka.modules.forums.models import (
    Action,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Forum,
    ForumMember,
    Meeting,
    Organisation,
)
from samverka.web.conflicts import VersionField
from samverka.web.input import CONTROL_MESSAGE, Form, has_control_chars

_ASCII_INT = re.compile(r"[0-9]{1,9}")
#: Meetings may be planned or moved this many years before or after today.
YEARS_AROUND = 5
#: Versions are stored in a 32-bit integer column.
MAX_VERSION = 2**31 - 1


def parse_small_int(raw: object) -> int | None:
    """An ASCII decimal of at most nine digits, or None (``int()`` alone takes "²"-like digits)."""
    if isinstance(raw, str) and _ASCII_INT.fullmatch(raw):
        return int(raw)
    return None


def _optional_int(value: object) -> int | None:
    """Select values: the empty option means "none"."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    parsed = parse_small_int(value)
    if parsed is None:
        raise ValueError("not a choice")
    return parsed


def _years_from(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def meeting_date_range(today: date | None = None) -> tuple[date, date]:
    """The dates a meeting may be put on: five years back or forward from today."""
    today = today or local_today()
    return _years_from(today, -YEARS_AROUND), _years_from(today, YEARS_AROUND)


class ConfirmForm(Form):
    """A button-only form (mark held, remove, move up/down): just the CSRF token."""


class MeetingForm(Form):
    version = VersionField()
    day = DateField(_l("Datum"), validators=[InputRequired(_l("Ange datum."))])
    starts = TimeField(_l("Starttid"), validators=[InputRequired(_l("Ange starttid."))])
    ends = TimeField(_l("Sluttid"), validators=[InputRequired(_l("Ange sluttid."))])
    location = StringField(_l("Plats"), validators=[Length(max=200)])

    def validate_day(self, field: DateField) -> None:
        first, last = meeting_date_range()
        if field.data and not first <= field.data <= last:
            raise ValidationError(
                _l(
                    "Välj ett datum mellan %(first)s och %(last)s (högst fem år bakåt eller framåt).",
                    first=first.isoformat(),
                    last=last.isoformat(),
                )
            )

    def validate_ends(self, field: TimeField) -> None:
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("Sluttiden måste vara efter starttiden."))


class CancelForm(Form):
    version = VersionField()
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


class AgendaItemForm(Form):
    version = VersionField()
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


class DecisionForm(Form):
    text = TextAreaField(
        _l("Beslut"), validators=[DataRequired(_l("Skriv beslutet.")), Length(max=2000)]
    )


class ActionForm(Form):
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


class ActionStatusForm(Form):
    version = VersionField()
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in ACTION_STATUS_LABELS.items()],
        validate_choice=True,
    )


class MinutesForm(Form):
    text = TextAreaField(
        _l("Minnesanteckningar"), validators=[Length(max=200_000)], render_kw={"rows": 18}
    )
    #: The version the text was based on; a save on an older version is a conflict.
    base_version = HiddenField(_l("Version"), validators=[InputRequired()])

    def validate_base_version(self, field: HiddenField) -> None:
        value = field.data if isinstance(field.data, int) else parse_small_int(field.data)
        if value is None or not 0 <= value < MAX_VERSION:
            raise ValidationError(_l("Ogiltig version. Ladda om sidan och försök igen."))
        field.data = value


class ApproveForm(Form):
    version = HiddenField(validators=[InputRequired()])


class AttachmentForm(Form):
    file = FileField(_l("Fil"), validators=[FileRequired(_l("Välj en fil att ladda upp."))])


class AttendanceSheet:
    """The attendance form: per member a status, organisation and stand-in name; and per
    organisation without a named participant a status and stand-in name."""

    def __init__(
        self,
        members: list[ForumMember],
        organisations: Mapping[int, Organisation],
        recorded: Iterable[Attendance],
        alone: Iterable[Organisation] = (),
        alone_allowed: Iterable[int] = (),
    ) -> None:
        self.members, self.organisations = members, organisations
        self.alone = list(alone)
        #: Organisations that may get a row of their own: the forum's, plus those already saved.
        self.alone_allowed = set(alone_allowed) | {o.id for o in self.alone}
        recorded = list(recorded)
        existing = {a.member_id: a for a in recorded if a.member_id is not None}
        existing_alone = {
            a.organisation_id: a
            for a in recorded
            if a.member_id is None and a.organisation_id is not None
        }
        #: What the form shows per member id: saved values, or what the user just entered.
        self.values: dict[int, dict[str, object]] = {}
        for m in members:
            row = existing.get(m.id)
            self.values[m.id] = {
                "status": row.status.value if row else "",
                "org": row.organisation_id if row else m.organisation_id,
                "stand_in": (row.stand_in_name or "") if row else "",
            }
        #: The same per organisation id for organisations without a named participant.
        self.alone_values: dict[int, dict[str, object]] = {}
        for o in self.alone:
            row = existing_alone.get(o.id)
            self.alone_values[o.id] = {
                "status": row.status.value if row else "",
                "stand_in": (row.stand_in_name or "") if row else "",
            }
        #: Field id -> message, so each error links to its field.
        self.errors: dict[str, str] = {}

    def read(self, formdata: Mapping[str, str]) -> list[AttendanceRow] | None:
        """The rows to save, or None (with ``errors`` filled) when something must be fixed."""
        rows = []
        for m in self.members:
            status = formdata.get(f"status-{m.id}", "")
            org_raw = formdata.get(f"org-{m.id}", "")
            stand_in = formdata.get(f"standin-{m.id}", "").strip()[:200]
            org = parse_small_int(org_raw)
            self.values[m.id] = {"status": status, "org": org, "stand_in": stand_in}
            if org_raw and org not in self.organisations:
                self.errors[f"org-{m.id}"] = str(_l("Välj en av forumets organisationer."))
            row = self._row(status, stand_in, "status-", "standin-", m.id)
            if row is not None:
                rows.append(AttendanceRow(m.id, row[0], org, row[1]))
        rows.extend(self._read_alone(formdata))
        return None if self.errors else rows

    def _read_alone(self, formdata: Mapping[str, str]) -> list[AttendanceRow]:
        """Organisation-only rows; a status for an organisation outside the forum is an error."""
        rows = []
        for key in formdata:
            if not key.startswith("orgstatus-"):
                continue
            org_id = parse_small_int(key.removeprefix("orgstatus-"))
            status = formdata.get(key, "")
            stand_in = formdata.get(f"orgstandin-{org_id}", "").strip()[:200]
            if org_id is None or org_id not in self.alone_allowed:
                if status:
                    self.errors["organisations-alone"] = str(
                        _l("Närvaro kan bara registreras för forumets organisationer.")
                    )
                continue
            if org_id in self.alone_values:
                self.alone_values[org_id] = {"status": status, "stand_in": stand_in}
            row = self._row(status, stand_in, "orgstatus-", "orgstandin-", org_id)
            if row is not None:
                rows.append(AttendanceRow(None, row[0], org_id, row[1]))
        return rows

    def _row(
        self, status: str, stand_in: str, status_key: str, stand_in_key: str, key_id: int
    ) -> tuple[AttendanceStatus, str | None] | None:
        """The checked status and stand-in name, or None (with an error noted when invalid)."""
        if not status:
            return None
        if status not in {s.value for s in AttendanceStatus}:
            self.errors[f"{status_key}{key_id}"] = str(_l("Välj en giltig status."))
        elif status == AttendanceStatus.stand_in and not stand_in:
            self.errors[f"{stand_in_key}{key_id}"] = str(_l("Ange ersättarens namn."))
        elif has_control_chars(stand_in):
            self.errors[f"{stand_in_key}{key_id}"] = str(CONTROL_MESSAGE)
        else:
            return AttendanceStatus(status), stand_in or None
        return None


# --- forms filled from stored records (the other side of a conflict page) ----------------


def stored_schedule_form(meeting: Meeting) -> MeetingForm:
    """The schedule form filled from the stored meeting, at its stored version."""
    form = MeetingForm(formdata=None)
    starts, ends = local(meeting.starts_at), local(meeting.ends_at)
    form.day.data, form.starts.data, form.ends.data = starts.date(), starts.time(), ends.time()
    form.location.data, form.version.data = meeting.location, meeting.version
    return form


def stored_cancel_form(meeting: Meeting) -> CancelForm:
    form = CancelForm(formdata=None)
    form.reason.data, form.version.data = meeting.cancel_reason, meeting.version
    return form


def stored_item_form(meeting: Meeting, item: AgendaItem) -> AgendaItemForm:
    """The item's form filled from the stored item, at its stored version."""
    form = AgendaItemForm(meeting.forum, keep_owner=item.owner_member_id, formdata=None)
    form.title.data, form.owner.data = item.title, item.owner_member_id
    form.minutes.data, form.version.data = item.minutes, item.version
    return form


def stored_status_form(action: Action) -> ActionStatusForm:
    form = ActionStatusForm(formdata=None)
    form.status.data, form.version.data = action.status.value, action.version
    return form
