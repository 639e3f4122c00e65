"""Tables of a municipality's forum work for download: CSV for Swedish Excel and XLSX.

Every text cell is guarded against formula injection: a value that a spreadsheet would read as a
formula (starting with = + - @, or a tab or carriage return) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from samverka.clock import STOCKHOLM
from samverka.extensions import db
from samverka.modules.forums.forum_labels import ACTION_STATUS_LABELS, ATTENDANCE_LABELS
from samverka.modules.forums.models import (
    ATTENDED,
    Action,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Forum,
    Meeting,
    MeetingState,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: How many held meetings an attendance export covers unless asked otherwise, and at most.
DEFAULT_MEETINGS, MAX_MEETINGS = 10, 52
FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    """A header and rows of plain values (str, int, date) ready for any format."""

    title: str
    header: list[str]
    rows: list[list[object]] = field(default_factory=list)


def guard(value: object) -> object:
    """Neutralise a text cell a spreadsheet would evaluate as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def local_date(moment: datetime) -> date:
    return moment.astimezone(STOCKHOLM).date()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(guard(value))


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with BOM and ``;`` separators, which Swedish Excel opens without a wizard."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_text(h) for h in table.header])
    for row in table.rows:
        writer.writerow([_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Export"


def xlsx_bytes(table: Table) -> bytes:
    """An Excel workbook with one sheet: bold, frozen header and dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(table.title)
    sheet.append([str(guard(h)) for h in table.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([guard(v) if v is not None else None for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date | datetime):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    for index, name in enumerate(table.header, start=1):
        widest = max([len(str(name))] + [len(_text(r[index - 1])) for r in table.rows])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, widest + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(table: Table, fmt: str) -> tuple[bytes, str]:
    """The file's bytes and MIME type for ``fmt`` (csv or xlsx)."""
    if fmt == "csv":
        return csv_bytes(table), "text/csv; charset=utf-8"
    return (
        xlsx_bytes(table),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def parse_status(raw: str | None) -> ActionStatus | None:
    """``None`` means every status; raises ValueError for an unknown one."""
    if raw in (None, "", "alla"):
        return None
    return ActionStatus(raw)


def actions_table(forums: list[Forum], status: ActionStatus | None) -> Table:
    """The forums' actions with owner, organisation, due date and status."""
    query = (
        sa.select(Action)
        .where(Action.forum_id.in_([f.id for f in forums] or [-1]))
        .options(
            selectinload(Action.owner),
            selectinload(Action.organisation),
            selectinload(Action.meeting),
        )
    )
    if status is not None:
        query = query.where(Action.status == status)
    names = {f.id: f.name for f in forums}
    actions = sorted(
        db.session.scalars(query),
        key=lambda a: (names[a.forum_id], a.due_date is None, a.due_date or date.min, a.id),
    )
    table = Table(
        _("Åtgärder"),
        [
            _("Forum"),
            _("Åtgärd"),
            _("Ansvarig"),
            _("Organisation"),
            _("Klart senast"),
            _("Status"),
            _("Beslutad vid möte"),
            _("Klar datum"),
        ],
    )
    for action in actions:
        table.rows.append(
            [
                names[action.forum_id],
                action.title,
                action.owner.name if action.owner else "",
                action.organisation.name if action.organisation else "",
                action.due_date,
                str(ACTION_STATUS_LABELS[action.status]),
                local_date(action.meeting.starts_at) if action.meeting else None,
                local_date(action.done_at) if action.done_at else None,
            ]
        )
    return table


def held_meetings(forum_id: int, last: int) -> list[Meeting]:
    """The forum's ``last`` held meetings, oldest first."""
    recent = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.forum_id == forum_id, Meeting.state == MeetingState.held)
        .order_by(Meeting.starts_at.desc())
        .limit(last)
    ).all()
    return list(reversed(recent))


def attendance_table(forum: Forum, last: int) -> Table:
    """One row per member (or organisation recorded alone), one column per held meeting."""
    meetings = held_meetings(forum.id, last)
    records = db.session.scalars(
        sa.select(Attendance)
        .where(Attendance.meeting_id.in_([m.id for m in meetings] or [-1]))
        .options(selectinload(Attendance.member), selectinload(Attendance.organisation))
    ).all()
    rows: dict[tuple[str, int | None], dict] = {}
    for member in forum.members:
        if member.active:
            org = member.organisation.name if member.organisation else ""
            rows[("m", member.id)] = {"name": member.name, "org": org, "cells": {}}
    for record in sorted(records, key=lambda r: r.id):
        if record.member_id is not None:
            key = ("m", record.member_id)
            member = record.member
            org = record.organisation or (member.organisation if member else None)
            name = member.name if member else ""
        else:
            key, org, name = ("o", record.organisation_id), record.organisation, ""
        entry = rows.setdefault(key, {"name": name, "org": org.name if org else "", "cells": {}})
        label = str(ATTENDANCE_LABELS[record.status])
        if record.status == AttendanceStatus.stand_in and record.stand_in_name:
            label = f"{label}: {record.stand_in_name}"
        entry["cells"][record.meeting_id] = (label, record.status in ATTENDED)
    table = Table(
        _("Närvaro"),
        [_("Namn"), _("Organisation")]
        + [local_date(m.starts_at).isoformat() for m in meetings]
        + [_("Närvarande (antal)"), _("Registrerade möten"), _("Närvaro (%)")],
    )
    for entry in rows.values():
        cells = entry["cells"]
        attended = sum(1 for _label, came in cells.values() if came)
        share = round(100 * attended / len(cells)) if cells else None
        table.rows.append(
            [entry["name"], entry["org"]]
            + [cells.get(m.id, ("", False))[0] for m in meetings]
            + [attended, len(cells), share]
        )
    return table
