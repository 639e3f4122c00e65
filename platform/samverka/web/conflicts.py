"""Stale saves: a form or API call based on an older version of a record changes nothing.

Every editable record has a ``version`` (SQLAlchemy's ``version_id_col``). A form carries the
version it was loaded at in a hidden field; :func:`check_version` compares it with the stored
one before anything is written, and the conflict page shows both versions side by side. Two
saves racing past that check still meet ``version_id_col``: the second UPDATE matches no row and
raises ``StaleDataError``, which gets the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from wtforms import BooleanField, Field, HiddenField, SelectFieldBase
from wtforms.validators import Optional, Regexp

from samverka.web.context import wants_json

#: Fields the conflict page does not compare (the machinery, not the content).
_MACHINERY = {"CSRFTokenField", "VersionField", "SubmitField", "HiddenField", "FileField"}


class VersionField(HiddenField):
    """The version of the record the form was loaded at (empty on a form that creates one)."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault(
            "validators",
            [Optional(), Regexp(r"^[0-9]{1,9}$", message=_l("Ogiltig version. Ladda om sidan."))],
        )
        super().__init__(label if label is not None else _l("Version"), **kwargs)

    @property
    def version(self) -> int | None:
        raw = self.data
        if isinstance(raw, int):
            return raw
        return int(raw) if isinstance(raw, str) and re.fullmatch(r"[0-9]{1,9}", raw) else None


class EditConflict(Exception):
    """Raised instead of saving: someone else saved the record after this form was loaded."""

    def __init__(self, record: Any, form: Any, saved: Any, back: str | None = None) -> None:
        super().__init__("stale version")
        self.record, self.form, self.saved, self.back = record, form, saved, back


def check_version(
    record: Any, form: Any, saved: Callable[[], Any], back: str | None = None
) -> None:
    """Refuse the save when the form was loaded at another version than the stored one.

    ``saved`` builds the same form filled from the stored record, for the comparison; ``back``
    is where "keep the saved version" leads. A post without a version (not from our pages, which
    always send one) is not compared; ``version_id_col`` still guards it against a racing save.
    """
    submitted = form.version.version
    if submitted is not None and submitted != record.version:
        raise EditConflict(record, form, saved(), back)


def _display(field: Field) -> str:
    """A field's value as the person sees it: choice labels rather than keys."""
    data = field.data
    if isinstance(field, BooleanField):
        return _("Ja") if data else _("Nej")
    if isinstance(field, SelectFieldBase):
        chosen = {
            "" if v is None else str(v)
            for v in (data if isinstance(data, list | tuple) else [data])
        }
        labels = [
            str(label) for value, label, *_rest in field.iter_choices() if str(value) in chosen
        ]
        return ", ".join(labels)
    if data is None:
        return ""
    if isinstance(data, list):
        return ", ".join(str(v) for v in data)
    return str(field._value()) if hasattr(field, "_value") else str(data)


def _rows(form: Any, saved: Any) -> list[dict[str, Any]]:
    rows = []
    for field in form:
        if field.type in _MACHINERY or field.name not in saved:
            continue
        theirs, mine = _display(saved[field.name]), _display(field)
        rows.append(
            {"label": field.label.text, "theirs": theirs, "mine": mine, "same": theirs == mine}
        )
    return rows


def _handle_conflict(exc: EditConflict) -> tuple[str, int]:
    exc.form.version.data = str(exc.record.version)  # saving again now is a deliberate choice
    exc.form.version.raw_data = [exc.form.version.data]
    return render_template(
        "conflicts/edit_conflict.html",
        form=exc.form,
        rows=_rows(exc.form, exc.saved),
        back=exc.back or url_for("web.home"),
    ), 409


def _handle_stale(exc: StaleDataError) -> Response | tuple[str, int]:
    from samverka.extensions import db
    from samverka.web.errors import problem

    db.session.rollback()
    detail = _("Någon annan sparade samma sak samtidigt. Ingenting av dina ändringar är sparat.")
    if wants_json():
        return problem(409, detail)
    return render_template("errors/error.html", status=409, title=_("Konflikt"), detail=detail), 409


def init_app(app: Flask) -> None:
    app.register_error_handler(EditConflict, _handle_conflict)
    app.register_error_handler(StaleDataError, _handle_stale)
