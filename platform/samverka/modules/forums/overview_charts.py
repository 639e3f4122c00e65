"""The coordinator overview's two charts; the tables beside them stay the text alternative."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from samverka.modules.forums.overview import CoordinatorOverview
from samverka.web.charts import Series, grouped_bars


@dataclass(frozen=True)
class OverviewCharts:
    term: Markup | None
    attendance: Markup | None


def overview_charts(overview: CoordinatorOverview) -> OverviewCharts:
    """Held against planned per forum this term, and attendance per organisation in percent."""
    term = None
    if overview.term.rows:
        rows = overview.term.rows
        term = grouped_bars(
            "term-chart",
            _("Hållna och planerade möten per forum denna termin"),
            _(
                "Stapeldiagram. För varje forum visas antal möten som hållits och antal som var "
                "planerade fram till i dag. Samma siffror finns i tabellen Möten denna termin."
            ),
            [row.forum.name for row in rows],
            [
                Series(_("Planerade hittills"), _("planerade"), [row.due for row in rows]),
                Series(_("Hållna"), _("hållna"), [row.held for row in rows]),
            ],
            label_width=280,
        )
    attendance = None
    if overview.attendance:
        rows = overview.attendance
        attendance = grouped_bars(
            "attendance-chart",
            _("Närvaro per organisation i procent"),
            _(
                "Stapeldiagram. För varje organisation visas hur stor andel av de hållna mötena "
                "den var med på. Samma siffror finns i tabellen Närvaro per organisation."
            ),
            [row.organisation.name for row in rows],
            [
                Series(
                    _("Närvaro"),
                    "%",
                    [None if row.rate is None else round(row.rate * 100) for row in rows],
                )
            ],
            label_width=280,
        )
    return OverviewCharts(term, attendance)
