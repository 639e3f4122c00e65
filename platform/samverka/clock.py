"""Swedish wall-clock time: stored times are UTC, people plan and read them in Stockholm."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local_today() -> date:
    """Today's date in Sweden (not the server's, which may run on UTC)."""
    return datetime.now(STOCKHOLM).date()


def to_utc(day: date, at: time) -> datetime:
    """A Stockholm wall-clock time as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=STOCKHOLM).astimezone(UTC)


def local(moment: datetime) -> datetime:
    """A stored UTC time as Stockholm wall-clock time."""
    return moment.astimezone(STOCKHOLM)
