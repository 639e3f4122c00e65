"""Meeting minutes: sanitised rich text, optimistic versioning, approval."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import nh3
import sqlalchemy as sa

from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.audit.operations import record
from samverka.modules.forums.models import Meeting, MinutesStatus, MinutesVersion

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "a", "blockquote"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


#: Tags that start a block of their own; plain lines outside them become paragraphs.
BLOCK_TAGS = ("p", "ul", "ol", "h3", "h4", "blockquote")
_OPEN = re.compile(r"<(" + "|".join(BLOCK_TAGS) + r")\b", re.IGNORECASE)
_CLOSE = re.compile(r"</(" + "|".join(BLOCK_TAGS) + r")\s*>", re.IGNORECASE)


def _paragraphs(text: str) -> str:
    """Wrap plain-text lines outside block tags in ``<p>`` (a blank line ends a paragraph).

    Minutes are typed in a plain text area, so one text often mixes a pasted list with lines
    of prose; without this the prose lines would run together into one line.
    """
    plain_text = "<" not in text
    out: list[str] = []
    lines: list[str] = []
    depth = 0

    def close_paragraph() -> None:
        if lines:
            out.append("<p>" + "<br>".join(lines) + "</p>")
            lines.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if depth == 0 and not _OPEN.match(line):
            if line:
                lines.append(escape(line) if plain_text else line)
            else:
                close_paragraph()
            continue
        close_paragraph()
        depth = max(0, depth + len(_OPEN.findall(line)) - len(_CLOSE.findall(line)))
        out.append(line + ("\n" if depth else ""))  # keep line breaks inside a block only
    close_paragraph()
    return "".join(out)


def sanitize(text: str) -> str:
    """Keep only the small set of tags minutes need; plain-text lines become paragraphs."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    text = _paragraphs(text)
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener",
    ).strip()


@dataclass(frozen=True)
class SaveResult:
    """What became of a save: ``saved`` or a conflict with the version someone else saved."""

    saved: bool
    version: int
    was_approved: bool = False


def save_minutes(meeting: Meeting, text: str, base_version: int, user_id: int | None) -> SaveResult:
    """Save a new version unless someone else saved since ``base_version`` (then change nothing)."""
    html = sanitize(text)
    new_version = base_version + 1
    was_approved = meeting.minutes_status == MinutesStatus.approved
    # A conditional UPDATE, so two requests that read the same version cannot both win.
    result = db.session.execute(
        sa.update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.minutes_version == base_version)
        .values(
            minutes_html=html,
            minutes_version=new_version,
            minutes_status=MinutesStatus.draft,
            minutes_approved_by=None,
            minutes_approved_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(meeting)
        return SaveResult(saved=False, version=meeting.minutes_version)
    db.session.add(
        MinutesVersion(meeting_id=meeting.id, version=new_version, html=html, saved_by=user_id)
    )
    db.session.flush()
    db.session.refresh(meeting)
    record(
        "update",
        "meeting_minutes",
        meeting.id,
        f"Minnesanteckningar sparade (version {new_version})",
        version=new_version,
        reopened=was_approved,
    )
    return SaveResult(saved=True, version=new_version, was_approved=was_approved)


def approve_minutes(meeting: Meeting, version: int, user_id: int | None) -> bool:
    """Approve the version the approver read; refuse if the minutes changed since.

    Minutes of a meeting that has not begun yet are never approved.
    """
    # A conditional UPDATE: a save landing after the approver read the page cannot be approved
    # unseen, even if it commits between this request's read and its write.
    result = db.session.execute(
        sa.update(Meeting)
        .where(
            Meeting.id == meeting.id,
            Meeting.minutes_version == version,
            Meeting.minutes_html.is_not(None),
            Meeting.minutes_html != "",
            Meeting.starts_at <= utcnow(),
        )
        .values(
            minutes_status=MinutesStatus.approved,
            minutes_approved_by=user_id,
            minutes_approved_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(meeting)
    if result.rowcount != 1:
        return False
    record(
        "approve",
        "meeting_minutes",
        meeting.id,
        f"Minnesanteckningar godkända (version {version})",
        version=version,
    )
    return True


def versions_query(meeting: Meeting) -> sa.Select:
    """Newest version first, for the history list."""
    return (
        sa.select(MinutesVersion)
        .where(MinutesVersion.meeting_id == meeting.id)
        .order_by(MinutesVersion.version.desc())
    )


def get_version(meeting: Meeting, version: int) -> MinutesVersion | None:
    """One saved version of this meeting's minutes."""
    return db.session.scalars(
        sa.select(MinutesVersion).where(
            MinutesVersion.meeting_id == meeting.id, MinutesVersion.version == version
        )
    ).first()
