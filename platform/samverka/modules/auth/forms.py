"""Log-in and password forms (Flask-WTF adds the CSRF token)."""

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from samverka.web.input import Form


def _optional_int(value: object) -> int | None:
    """A select's value as an id; an empty choice means none."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1  # not a choice: refused by the choice check


class LoginForm(Form):
    email = EmailField(
        _l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress.")), Length(max=320)]
    )
    password = PasswordField(
        _l("Lösenord"), validators=[DataRequired(_l("Ange ditt lösenord.")), Length(max=200)]
    )


class PasswordForm(Form):
    current = PasswordField(
        _l("Nuvarande lösenord"), validators=[DataRequired(_l("Ange ditt nuvarande lösenord."))]
    )
    new = PasswordField(
        _l("Nytt lösenord"),
        validators=[
            DataRequired(_l("Ange ett nytt lösenord.")),
            Length(min=10, max=200, message=_l("Lösenordet måste ha 10–200 tecken.")),
        ],
    )
    repeat = PasswordField(
        _l("Upprepa nytt lösenord"), validators=[EqualTo("new", _l("Lösenorden är inte lika."))]
    )


class TokenForm(Form):
    name = StringField(
        _l("Namn på nyckeln"),
        validators=[DataRequired(_l("Ge nyckeln ett namn.")), Length(max=100)],
    )
    scope = SelectField(
        _l("Vad får nyckeln göra?"),
        choices=[
            SelectChoice("read", _l("Bara läsa")),
            SelectChoice("write", _l("Läsa och ändra")),
        ],
        default="read",
        validate_choice=True,
    )


class CodeForm(Form):
    code = StringField(
        _l("Kod"),
        validators=[DataRequired(_l("Ange koden.")), Length(max=40)],
    )


class ForgotForm(Form):
    email = EmailField(
        _l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress.")), Length(max=320)]
    )


class SetPasswordForm(Form):
    new = PasswordField(
        _l("Nytt lösenord"),
        validators=[
            DataRequired(_l("Ange ett nytt lösenord.")),
            Length(min=10, max=200, message=_l("Lösenordet måste ha 10–200 tecken.")),
        ],
    )
    repeat = PasswordField(
        _l("Upprepa nytt lösenord"), validators=[EqualTo("new", _l("Lösenorden är inte lika."))]
    )


class ConfirmPasswordForm(Form):
    password = PasswordField(
        _l("Ditt lösenord"), validators=[DataRequired(_l("Ange ditt lösenord.")), Length(max=200)]
    )


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


ROLE_CHOICES = choices([("member", _l("Medlem")), ("coordinator", _l("Samordnare"))])


class MembershipForm(Form):
    """Role and organisation in one municipality; the organisation choices are the tenant's."""

    role = SelectField(_l("Roll"), choices=ROLE_CHOICES, validate_choice=True)
    organisation = SelectField(
        _l("Organisation"), choices=[], coerce=_optional_int, validate_choice=True
    )


class InviteForm(MembershipForm):
    email = EmailField(
        _l("E-postadress"), validators=[DataRequired(_l("Ange en e-postadress.")), Length(max=320)]
    )
    name = StringField(_l("Namn"), validators=[Length(max=200)])


class PlatformInviteForm(Form):
    email = EmailField(
        _l("E-postadress"), validators=[DataRequired(_l("Ange en e-postadress.")), Length(max=320)]
    )
    name = StringField(_l("Namn"), validators=[Length(max=200)])
    municipality = SelectField(_l("Kommun"), choices=[], validate_choice=True)
    role = SelectField(_l("Roll"), choices=ROLE_CHOICES, validate_choice=True)
