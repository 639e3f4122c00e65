"""Refuse control characters in everything people send: form fields, JSON bodies, query strings.

PostgreSQL text cannot hold NUL at all (the save failed with a server error), and the other
control characters only break exports, e-mail and the audit trail. Tab, carriage return and
newline are ordinary text. Every form derives from :class:`Form` and every API input schema
from :class:`Args`, so the rule lives in one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Flask, abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError, pre_load

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CONTROL_MESSAGE = _l(
    "Texten innehåller otillåtna tecken (till exempel nolltecken). Ta bort dem och försök igen."
)


def has_control_chars(value: object) -> bool:
    """Whether a string, or any string inside a list or mapping, holds a refused character."""
    if isinstance(value, str):
        return _CONTROL.search(value) is not None
    if isinstance(value, Mapping):
        return any(has_control_chars(k) or has_control_chars(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_control_chars(v) for v in value)
    return False


class Form(FlaskForm):
    """The base of every form: a field holding a control character gets a clear error.

    The other validators still run (so every problem is named at once); none of them may query
    the database, which is what a NUL byte would break.
    """

    def validate(self, extra_validators: Any = None) -> bool:
        refused = [f for f in self if has_control_chars(list(f.raw_data or []))]
        valid = super().validate(extra_validators)
        for field in refused:
            field.errors = [str(CONTROL_MESSAGE)]
        self._errors = None  # the errors property is cached per validation
        return valid and not refused


class Args(Schema):
    """The base of every API input schema: refuses control characters field by field."""

    @pre_load
    def _refuse_control_chars(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, Mapping):
            errors = {
                str(key): [str(CONTROL_MESSAGE)]
                for key, value in data.items()
                if has_control_chars(key) or has_control_chars(value)
            }
            if errors:
                raise ValidationError(errors)
        return data


def _refuse_control_chars_in_query() -> None:
    """Query-string arguments (``?sida=``, filters) are refused before any view reads them."""
    if any(has_control_chars(k) or has_control_chars(v) for k, v in request.args.items(multi=True)):
        abort(400, _("Adressen innehåller otillåtna tecken. Kontrollera länken och försök igen."))


def init_app(app: Flask) -> None:
    app.before_request(_refuse_control_chars_in_query)
