"""A forum's cadence yields the right dates, and generating meetings never duplicates one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa


def _forum(**fields):
    from samverka.modules.forums.models import CadenceKind, Forum
    from samverka.modules.forums.vocabulary import CaseRule, Level

    defaults = dict(
        forum_type="sspf_working",
        name="SSPF",
        purpose="",
        level=Level.operational,
        case_rule=CaseRule.consent,
        cadence_kind=CadenceKind.weekly,
        cadence_interval=1,
        cadence_weekday=1,
        cadence_week_of_month=None,
        cadence_dates=[],
        cadence_exceptions=[],
        cadence_start=date(2026, 1, 1),
        cadence_until=None,
        start_time=time(9, 0),
        duration_minutes=90,
        location="Stadshuset",
        agenda_skeleton=["Uppföljning av åtgärder från föregående möte", "Nästa möte"],
    )
    defaults.update(fields)
    return Forum(**defaults)


def test_weekly_cadence_meets_every_tuesday_in_the_window(app):
    from samverka.modules.forums.cadence import occurrences

    days = occurrences(_forum(cadence_weekday=1), date(2026, 3, 1), date(2026, 3, 31))
    assert days == [
        date(2026, 3, 3),
        date(2026, 3, 10),
        date(2026, 3, 17),
        date(2026, 3, 24),
        date(2026, 3, 31),
    ]


def test_every_other_week_keeps_its_phase_from_the_start_date(app):
    from samverka.modules.forums.cadence import occurrences
    from samverka.modules.forums.models import CadenceKind

    forum = _forum(
        cadence_kind=CadenceKind.every_n_weeks,
        cadence_interval=2,
        cadence_weekday=2,
        cadence_start=date(2026, 1, 7),  # a Wednesday
    )
    january = occurrences(forum, date(2026, 1, 1), date(2026, 1, 31))
    assert january == [date(2026, 1, 7), date(2026, 1, 21)]
    # Asking from a later window must not shift the weeks.
    assert occurrences(forum, date(2026, 1, 12), date(2026, 2, 10)) == [
        date(2026, 1, 21),
        date(2026, 2, 4),
    ]


def test_every_third_week_like_an_hlt_team(app):
    from samverka.modules.forums.cadence import occurrences
    from samverka.modules.forums.models import CadenceKind

    forum = _forum(
        cadence_kind=CadenceKind.every_n_weeks,
        cadence_interval=3,
        cadence_weekday=3,
        cadence_start=date(2026, 1, 1),  # a Thursday
    )
    days = occurrences(forum, date(2026, 1, 1), date(2026, 3, 1))
    assert days == [date(2026, 1, 1), date(2026, 1, 22), date(2026, 2, 12)]


def test_monthly_on_the_last_friday(app):
    from samverka.modules.forums.cadence import occurrences
    from samverka.modules.forums.models import CadenceKind

    forum = _forum(
        cadence_kind=CadenceKind.monthly_weekday, cadence_weekday=4, cadence_week_of_month=-1
    )
    days = occurrences(forum, date(2026, 1, 1), date(2026, 4, 30))
    assert days == [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27), date(2026, 4, 24)]


def test_monthly_on_the_first_monday(app):
    from samverka.modules.forums.cadence import occurrences
    from samverka.modules.forums.models import CadenceKind

    forum = _forum(
        cadence_kind=CadenceKind.monthly_weekday, cadence_weekday=0, cadence_week_of_month=1
    )
    assert occurrences(forum, date(2026, 2, 1), date(2026, 3, 31)) == [
        date(2026, 2, 2),
        date(2026, 3, 2),
    ]


def test_exceptions_remove_dates_and_until_ends_the_cadence(app):
    from samverka.modules.forums.cadence import occurrences

    forum = _forum(
        cadence_weekday=1,
        cadence_exceptions=["2026-03-10", "not-a-date"],
        cadence_until=date(2026, 3, 24),
    )
    days = occurrences(forum, date(2026, 3, 1), date(2026, 4, 30))
    assert days == [date(2026, 3, 3), date(2026, 3, 17), date(2026, 3, 24)]


def test_school_year_dates_are_the_chosen_ones_in_the_window(app):
    from samverka.modules.forums.cadence import occurrences
    from samverka.modules.forums.models import CadenceKind

    forum = _forum(
        cadence_kind=CadenceKind.school_year_dates,
        cadence_dates=["2026-09-15", "2026-02-10", "2026-11-20"],
        cadence_exceptions=["2026-11-20"],
    )
    assert occurrences(forum, date(2026, 6, 1), date(2027, 6, 1)) == [date(2026, 9, 15)]


def test_generated_meetings_keep_stockholm_wall_time_across_dst(app, in_tenant):
    """09:00 in Stockholm is 08:00 UTC in winter and 07:00 UTC in summer."""
    from samverka.modules.forums.cadence import generate_meetings

    with in_tenant("amal") as session:
        forum = _forum(cadence_weekday=4, cadence_start=date(2026, 3, 20))  # Fridays
        session.add(forum)
        made = generate_meetings(forum, until=date(2026, 4, 3), today=date(2026, 3, 20))
        # Summer time starts Sunday 29 March 2026.
        assert [m.cadence_date for m in made] == [
            date(2026, 3, 20),
            date(2026, 3, 27),
            date(2026, 4, 3),
        ]
        assert made[0].starts_at == datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
        assert made[1].starts_at == datetime(2026, 3, 27, 8, 0, tzinfo=UTC)
        assert made[2].starts_at == datetime(2026, 4, 3, 7, 0, tzinfo=UTC)
        assert all(m.ends_at - m.starts_at == timedelta(minutes=90) for m in made)
        assert all(m.location == "Stadshuset" for m in made)
        assert made[0].agenda_items[0].title.startswith("Uppföljning")
        session.rollback()


def test_generate_meetings_is_idempotent_even_for_moved_or_cancelled_meetings(app, in_tenant):
    from samverka.modules.forums.cadence import generate_meetings
    from samverka.modules.forums.models import Meeting, MeetingState

    with in_tenant("amal") as session:
        forum = _forum(cadence_weekday=1, cadence_start=date(2026, 3, 1))
        session.add(forum)
        first = generate_meetings(forum, until=date(2026, 3, 31), today=date(2026, 3, 1))
        assert len(first) == 5
        # Move one meeting to another day and cancel another; neither may come back.
        first[0].starts_at += timedelta(days=1)
        first[0].ends_at += timedelta(days=1)
        first[1].state = MeetingState.cancelled
        session.flush()
        again = generate_meetings(forum, until=date(2026, 3, 31), today=date(2026, 3, 1))
        assert again == []
        count = session.scalar(
            sa.select(sa.func.count()).select_from(Meeting).where(Meeting.forum_id == forum.id)
        )
        assert count == 5
        # Extending the horizon adds only the new dates.
        later = generate_meetings(forum, until=date(2026, 4, 14), today=date(2026, 3, 1))
        assert [m.cadence_date for m in later] == [date(2026, 4, 7), date(2026, 4, 14)]
        session.rollback()


def test_generate_meetings_starts_today_and_skips_paused_forums(app, in_tenant):
    from samverka.modules.forums.cadence import generate_meetings
    from samverka.modules.forums.models import ForumState

    with in_tenant("amal") as session:
        forum = _forum(cadence_weekday=1, cadence_start=date(2026, 1, 1))
        session.add(forum)
        made = generate_meetings(forum, until=date(2026, 3, 17), today=date(2026, 3, 11))
        assert [m.cadence_date for m in made] == [date(2026, 3, 17)]
        paused = _forum(cadence_weekday=1, state=ForumState.paused)
        session.add(paused)
        assert generate_meetings(paused, until=date(2026, 12, 31), today=date(2026, 3, 1)) == []
        session.rollback()
