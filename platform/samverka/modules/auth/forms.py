"""Log-in and password forms (Flask-WTF adds the CSRF token)."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from samverka.web.input import Form


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
