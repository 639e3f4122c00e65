"""Forms for organisations, forums and forum members (Flask-WTF adds the CSRF token)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from samverka.modules.forums.forum_labels import (
    CADENCE_LABELS,
    STATE_LABELS,
    WEEK_OF_MONTH_LABELS,
    WEEKDAY_LABELS,
)
from samverka.modules.forums.models import CadenceKind, ForumState
from samverka.modules.forums.vocabulary import (
    CASE_RULE_LABELS,
    FORUM_TYPES,
    LEVEL_LABELS,
    ORGANISATION_TYPES,
    PRINCIPAL_LABELS,
    CaseRule,
    Level,
)
from samverka.web.conflicts import VersionField
from samverka.web.input import Form

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\- ]{5,40}$")
#: C0 control characters (CR, LF, tab …) and DEL: never wanted in a one-line field, and a
#: line break in a name would end up in an e-mail's Subject header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Options for a select (wtforms 3.3 deprecates plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _single_line(form: Form, field: StringField) -> None:
    if isinstance(field.data, str) and _CONTROL.search(field.data):
        raise ValidationError(
            _l("Skriv allt på en rad, utan radbrytningar, tabbar eller andra kontrolltecken.")
        )


def _email(form: Form, field: StringField) -> None:
    if field.data and not _EMAIL.match(field.data):
        raise ValidationError(_l("Ange en giltig e-postadress, t.ex. namn@kommun.se."))


def _phone(form: Form, field: StringField) -> None:
    if field.data and not _PHONE.match(field.data):
        raise ValidationError(_l("Ange ett telefonnummer med siffror, t.ex. 0532-170 00."))


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes, rendered as a fieldset by the template."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DateListField(TextAreaField):
    """Dates written one per line (or separated by commas), kept as sorted ISO strings."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = []
        self.bad_values: list[str] = []
        if not valuelist:
            return
        found = set()
        for part in re.split(r"[\s,;]+", valuelist[0] or ""):
            if not part:
                continue
            try:
                found.add(date.fromisoformat(part).isoformat())
            except ValueError:
                self.bad_values.append(part)
        self.data = sorted(found)

    def pre_validate(self, form: Form) -> None:
        if getattr(self, "bad_values", None):
            raise ValidationError(
                _l(
                    "Skriv datum som ÅÅÅÅ-MM-DD, ett per rad. Kunde inte läsa: %(bad)s",
                    bad=", ".join(self.bad_values[:5]),
                )
            )

    def _value(self) -> str:
        return "\n".join(self.data or [])


class OrganisationForm(Form):
    version = VersionField()
    name = StringField(
        _l("Namn"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Ange organisationens namn.")),
            _single_line,
            Length(max=200),
        ],
    )
    type = SelectField(
        _l("Typ av organisation"),
        choices=choices((key, label) for key, (label, _p) in ORGANISATION_TYPES.items()),
        validators=[DataRequired(_l("Välj typ av organisation."))],
    )
    principal = SelectField(
        _l("Huvudman"),
        choices=choices(
            [("", _l("Enligt typen (vanligast)"))]
            + [(p.value, label) for p, label in PRINCIPAL_LABELS.items()]
        ),
        validators=[Optional()],
    )
    contact_name = StringField(
        _l("Kontaktperson"),
        filters=[_strip],
        validators=[Optional(), _single_line, Length(max=200)],
    )
    contact_email = EmailField(
        _l("E-post till kontaktperson"),
        filters=[_strip],
        validators=[
            Optional(),
            _single_line,
            _email,
            Length(max=320),
        ],
    )
    contact_phone = StringField(
        _l("Telefon till kontaktperson"),
        filters=[_strip],
        validators=[Optional(), _single_line, _phone],
    )


class ForumForm(Form):
    version = VersionField()
    forum_type = SelectField(
        _l("Forumtyp"),
        choices=choices((key, kind.label) for key, kind in FORUM_TYPES.items()),
        validators=[DataRequired(_l("Välj forumtyp."))],
    )
    name = StringField(
        _l("Namn"),
        filters=[_strip],
        validators=[DataRequired(_l("Ge forumet ett namn.")), _single_line, Length(max=200)],
    )
    purpose = TextAreaField(_l("Syfte"), filters=[_strip], validators=[Length(max=4000)])
    level = SelectField(
        _l("Nivå"), choices=choices((lv.value, label) for lv, label in LEVEL_LABELS.items())
    )
    case_rule = SelectField(
        _l("Enskilda ärenden"),
        choices=choices((rule.value, label) for rule, label in CASE_RULE_LABELS.items()),
    )
    age_min = IntegerField(
        _l("Ålder från"),
        validators=[Optional(), NumberRange(0, 30, _l("Ange en ålder mellan 0 och 30."))],
    )
    age_max = IntegerField(
        _l("Ålder till"),
        validators=[Optional(), NumberRange(0, 30, _l("Ange en ålder mellan 0 och 30."))],
    )
    convener = SelectField(_l("Sammankallande"), coerce=int, validate_choice=True)
    organisations = CheckboxesField(_l("Organisationer i forumet"), coerce=int)
    state = SelectField(
        _l("Status"),
        choices=choices((s.value, label) for s, label in STATE_LABELS.items()),
        default=ForumState.active.value,
    )
    cadence_kind = SelectField(
        _l("Hur ofta"),
        choices=choices((k.value, label) for k, label in CADENCE_LABELS.items()),
        default=CadenceKind.monthly_weekday.value,
    )
    cadence_interval = IntegerField(
        _l("Intervall"),
        default=1,
        validators=[
            InputRequired(_l("Ange ett intervall.")),
            NumberRange(1, 12, _l("Ange ett intervall mellan 1 och 12.")),
        ],
    )
    cadence_weekday = SelectField(
        _l("Veckodag"),
        coerce=int,
        choices=choices(enumerate(WEEKDAY_LABELS)),
        default=1,
    )
    cadence_week_of_month = SelectField(
        _l("Vilken vecka i månaden"),
        coerce=int,
        choices=choices(WEEK_OF_MONTH_LABELS.items()),
        default=1,
    )
    cadence_dates = DateListField(_l("Mötesdatum under läsåret"))
    cadence_exceptions = DateListField(_l("Undantag: datum utan möte"))
    cadence_start = DateField(
        _l("Första möte tidigast"), validators=[InputRequired(_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))]
    )
    cadence_until = DateField(_l("Sista möte senast (valfritt)"), validators=[Optional()])
    start_time = TimeField(
        _l("Starttid"), default=time(9, 0), validators=[InputRequired(_l("Ange en starttid."))]
    )
    duration_minutes = IntegerField(
        _l("Längd i minuter"),
        default=90,
        validators=[
            InputRequired(_l("Ange mötets längd.")),
            NumberRange(15, 600, _l("Ange en längd mellan 15 och 600 minuter.")),
        ],
    )
    location = StringField(
        _l("Plats"), filters=[_strip], validators=[_single_line, Length(max=200)]
    )
    agenda_skeleton = TextAreaField(
        _l("Dagordningsmall"), filters=[_strip], validators=[Length(max=4000)]
    )

    def validate_age_max(self, field: IntegerField) -> None:
        if (
            field.data is not None
            and self.age_min.data is not None
            and field.data < self.age_min.data
        ):
            raise ValidationError(_l("Åldern till kan inte vara lägre än åldern från."))

    def validate_case_rule(self, field: SelectField) -> None:
        if self.level.data == Level.strategic and field.data != CaseRule.none:
            raise ValidationError(_l("Ett strategiskt forum tar inte upp enskilda ärenden."))
        if self.level.data == Level.consultation and field.data == CaseRule.consent:
            raise ValidationError(
                _l("Ett konsultationsforum diskuterar bara ärenden avidentifierat.")
            )

    def validate_cadence_dates(self, field: DateListField) -> None:
        if self.cadence_kind.data == CadenceKind.school_year_dates and not field.data:
            raise ValidationError(_l("Ange minst ett mötesdatum, ett per rad."))

    def validate_cadence_until(self, field: DateField) -> None:
        if field.data and self.cadence_start.data and field.data < self.cadence_start.data:
            raise ValidationError(_l("Slutdatum kan inte vara före startdatum."))

    def agenda_lines(self) -> list[str]:
        return [
            line.strip()[:300]
            for line in (self.agenda_skeleton.data or "").splitlines()
            if line.strip()
        ]


class MemberForm(Form):
    version = VersionField()
    user_id = SelectField(_l("Konto i kommunen"), coerce=int, validate_choice=True)
    name = StringField(_l("Namn"), filters=[_strip], validators=[_single_line, Length(max=200)])
    role_title = StringField(
        _l("Roll / titel"), filters=[_strip], validators=[_single_line, Length(max=120)]
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=True)
    email = EmailField(
        _l("E-post"),
        filters=[_strip],
        validators=[
            Optional(),
            _single_line,
            _email,
            Length(max=320),
        ],
    )
    phone = StringField(
        _l("Telefon"), filters=[_strip], validators=[Optional(), _single_line, _phone]
    )
    is_convener = BooleanField(_l("Sammankallande för forumet"))

    def validate_name(self, field: StringField) -> None:
        if not field.data and not self.user_id.data:
            raise ValidationError(_l("Ange personens namn eller välj ett konto."))


class ConfirmForm(Form):
    """An empty form for buttons that change something (CSRF only)."""
