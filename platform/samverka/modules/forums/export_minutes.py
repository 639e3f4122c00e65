"""A meeting's minutes as one document: for the print view and as a PDF (fpdf2, DejaVu Sans)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nh3
import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from samverka.clock import STOCKHOLM
from samverka.extensions import db
from samverka.modules.forums.forum_labels import (
    ACTION_STATUS_LABELS,
    ATTENDANCE_LABELS,
    MEETING_STATE_LABELS,
)
from samverka.modules.forums.models import (
    Action,
    Attendance,
    AttendanceStatus,
    Meeting,
    MinutesStatus,
)
from samverka.modules.forums.vocabulary import FORUM_TYPES

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT = "DejaVu"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
#: What fpdf2's HTML renderer handles well; the rest of the (already sanitised) minutes is unwrapped.
PDF_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


#: Width (mm) of the column that holds a list's bullet or number.
BULLET_INDENT = 7


def _leading(size: float) -> float:
    """Line height in mm for a font size in points: 1.4 times the size (1 pt = 0.3528 mm)."""
    return round(size * 0.3528 * 1.4, 2)


@dataclass
class Line:
    label: str
    detail: str = ""
    note: str = ""


@dataclass
class MinutesDocument:
    """Everything the minutes show, as plain text (plus the sanitised minutes HTML)."""

    forum_name: str
    forum_type: str
    when: str
    location: str
    state: str
    minutes_status: str
    agenda: list[Line] = field(default_factory=list)
    attendance: list[Line] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    actions: list[Line] = field(default_factory=list)
    minutes_html: str = ""


def _state_label(meeting: Meeting) -> str:
    return str(MEETING_STATE_LABELS[meeting.state])


def _of_meeting(model: type, meeting: Meeting, *related) -> list:
    """The meeting's rows of this model in saved order, with the named relations loaded up front."""
    return db.session.scalars(
        sa.select(model)
        .where(model.meeting_id == meeting.id)
        .options(*(selectinload(r) for r in related))
        .order_by(model.id)
    ).all()


def build_document(meeting: Meeting) -> MinutesDocument:
    """Collect the meeting's agenda, attendance, decisions, actions and minutes."""
    forum = meeting.forum
    kind = FORUM_TYPES.get(forum.forum_type)
    start = meeting.starts_at.astimezone(STOCKHOLM)
    end = meeting.ends_at.astimezone(STOCKHOLM)
    doc = MinutesDocument(
        forum_name=forum.name,
        forum_type=str(kind.label) if kind else forum.forum_type,
        when=f"{format_datetime(start, 'EEEE d MMMM y HH:mm')}–{end:%H:%M}",
        location=meeting.location or forum.location,
        state=_state_label(meeting),
        minutes_status=_("Godkända")
        if meeting.minutes_status == MinutesStatus.approved
        else _("Utkast"),
        # Sanitised when saved; cleaned again here because the print view shows it as HTML.
        minutes_html=nh3.clean(meeting.minutes_html or ""),
    )
    for item in meeting.agenda_items:
        owner = item.owner.name if item.owner else ""
        minutes = _("%(n)d min", n=item.minutes) if item.minutes else ""
        doc.agenda.append(Line(item.title, owner, minutes))
    for record in _of_meeting(Attendance, meeting, Attendance.member, Attendance.organisation):
        org = record.organisation or (record.member.organisation if record.member else None)
        name = record.member.name if record.member else (org.name if org else "")
        note = str(ATTENDANCE_LABELS[record.status])
        if record.status == AttendanceStatus.stand_in and record.stand_in_name:
            note = f"{note}: {record.stand_in_name}"
        doc.attendance.append(Line(name, org.name if org and record.member else "", note))
    doc.decisions = [d.text for d in meeting.decisions]
    for action in _of_meeting(Action, meeting, Action.owner, Action.organisation):
        owner = action.owner.name if action.owner else ""
        org = action.organisation.name if action.organisation else ""
        who = ", ".join(x for x in (owner, org) if x)
        due = _("klart senast %(d)s", d=action.due_date.isoformat()) if action.due_date else ""
        status = str(ACTION_STATUS_LABELS[action.status])
        doc.actions.append(Line(action.title, who, " · ".join(x for x in (due, status) if x)))
    return doc


def _pdf_html(minutes_html: str) -> str:
    """Narrow the minutes to tags the PDF renderer supports (no images, no external fetches)."""
    return nh3.clean(minutes_html, tags=PDF_TAGS, attributes={"a": {"href"}}, link_rel=None)


class _MinutesPDF:
    """Writes a MinutesDocument with fpdf2; one instance per document."""

    def __init__(self, title: str, footer: str) -> None:
        from fpdf import FPDF

        outer = self

        class _PDF(FPDF):
            def footer(self) -> None:  # page numbers on every page
                self.set_y(-15)
                self.set_font(FONT, size=8)
                self.cell(0, 10, f"{outer.footer} · {self.page_no()}/{{nb}}", align="C")

        self.footer = footer
        self.pdf = _PDF(format="A4")
        for style, filename in FONT_FILES.items():
            self.pdf.add_font(FONT, style, str(FONT_DIR / filename))
        self.pdf.set_title(title)
        self.pdf.set_auto_page_break(auto=True, margin=18)
        self.pdf.set_margins(18, 18, 18)
        self.pdf.add_page()

    # fpdf2's multi_cell justifies by default, which stretches short lines (titles, list items)
    # with wide gaps: everything here is set ragged right instead.
    def heading(self, text: str, size: int = 13) -> None:
        self.pdf.ln(size * 0.25)
        self.pdf.set_font(FONT, "B", size)
        self.pdf.multi_cell(0, _leading(size), text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def text(self, text: str, style: str = "", size: int = 10) -> None:
        self.pdf.set_font(FONT, style, size)
        self.pdf.multi_cell(0, _leading(size), text, align="L", new_x="LMARGIN", new_y="NEXT")

    def lines(self, lines: list[Line], empty: str, numbered: bool = False) -> None:
        if not lines:
            self.text(empty, "I")
            return
        self.pdf.set_font(FONT, size=10)
        for number, line in enumerate(lines, start=1):
            extra = " – ".join(x for x in (line.detail, line.note) if x)
            marker = f"{number}." if numbered else "•"
            # A hanging indent: wrapped lines start under the text, not under the marker.
            self.pdf.cell(BULLET_INDENT, _leading(10), marker)
            self.pdf.multi_cell(
                0,
                _leading(10),
                line.label + (f" ({extra})" if extra else ""),
                align="L",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            self.pdf.ln(0.8)

    def html(self, html: str, empty: str) -> None:
        cleaned = _pdf_html(html).strip()
        if not cleaned:
            self.text(empty, "I")
            return
        self.pdf.set_font(FONT, size=10)
        try:
            # Bullets in the text colour (fpdf2's default is red), like the lists above.
            self.pdf.write_html(
                cleaned,
                font_family=FONT,
                warn_on_tags_not_matching=False,
                li_prefix_color=(0, 0, 0),
            )
        except Exception:  # a layout the renderer cannot place: fall back to plain text
            self.text(nh3.clean(cleaned, tags=set()).strip())

    def output(self) -> bytes:
        return bytes(self.pdf.output())  # closes the font files too

    def discard(self) -> None:
        """Close the font files of a document that will not be written."""
        for font in self.pdf.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()


def minutes_pdf(doc: MinutesDocument, municipality: str) -> bytes:
    """The minutes as an A4 PDF; Swedish letters come from the bundled DejaVu Sans."""
    title = _("Minnesanteckningar – %(forum)s", forum=doc.forum_name)
    pdf = _MinutesPDF(title, f"{municipality} · {doc.forum_name}")
    try:
        pdf.heading(title, 16)
        pdf.text(f"{doc.forum_type} · {municipality}", size=10)
        pdf.text(_("Tid: %(when)s", when=doc.when))
        if doc.location:
            pdf.text(_("Plats: %(place)s", place=doc.location))
        pdf.text(
            _(
                "Mötet: %(state)s · Anteckningar: %(status)s",
                state=doc.state,
                status=doc.minutes_status,
            )
        )
        pdf.heading(_("Dagordning"))
        pdf.lines(doc.agenda, _("Ingen dagordning."), numbered=True)
        pdf.heading(_("Närvaro"))
        pdf.lines(doc.attendance, _("Ingen närvaro registrerad."))
        pdf.heading(_("Beslut"))
        pdf.lines([Line(d) for d in doc.decisions], _("Inga beslut."))
        pdf.heading(_("Åtgärder"))
        pdf.lines(doc.actions, _("Inga åtgärder."))
        pdf.heading(_("Minnesanteckningar"))
        pdf.html(doc.minutes_html, _("Inga anteckningar ännu."))
    except Exception:
        pdf.discard()
        raise
    return pdf.output()
