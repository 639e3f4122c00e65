"""Server-rendered SVG charts: bars, lines, funnel plots and heatmaps, no charting library.

Why SVG from Python: it works under the CSP without any script, weighs a few kilobytes on the
page that shows it (and nothing elsewhere), needs no cairo or browser to test, and a reader of
the HTML gets the same chart as a download. Colours are presentation attributes, not classes, so
a downloaded file (static/js/chart-download.js) looks the same outside the page.

Every chart repeats what a table on the same page says; the table is the text alternative.
Values are written as text next to the marks, so no meaning depends on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 680
FONT = "system-ui, 'Segoe UI', Roboto, Arial, sans-serif"
TEXT = "#1b1f24"
MUTED = "#565e67"
AXIS = "#767676"
GRID = "#dde3e9"
#: Series colours: brand blue, green, orange-brown; each >= 3:1 against white.
PALETTE = ("#1f4e79", "#1d6b35", "#8a4b00", "#6b3fa0")
#: Sequential scale for heatmaps, light to dark blue.
HEAT = ("#e9f0f7", "#c6d8ea", "#93b5d6", "#5a8bbd", "#2c6296", "#1f4e79", "#163a5c")


@dataclass(frozen=True)
class Series:
    """One kind of bar or line: its legend label, a word after each number, values per category."""

    label: str
    unit: str
    values: Sequence[float | None]


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _open(chart_id: str, title: str, description: str, height: float) -> list[str]:
    return [
        f'<svg class="chart__svg" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'font-family="{FONT}" font-size="14" fill="{TEXT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>',
    ]


def _close(parts: list[str]) -> Markup:
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in the parts is escaped


def _legend(parts: list[str], labels: Sequence[str], x: float, y: float = 4) -> None:
    for n, label in enumerate(labels):
        colour = PALETTE[n % len(PALETTE)]
        parts.append(f'<rect x="{x:.0f}" y="{y}" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20:.0f}" y="{y + 12}">{escape(label)}</text>')
        x += 34 + 8 * len(label)


def grouped_bars(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    label_width: int = 190,
) -> Markup:
    """Horizontal bars, one group per category and one bar per series, scaled to the largest."""
    bar, gap, group_gap, legend, value_width = 18, 4, 14, 30 if len(series) > 1 else 0, 110
    largest = max([v or 0 for s in series for v in s.values] + [1])
    track = WIDTH - label_width - value_width
    group = len(series) * (bar + gap) + group_gap
    parts = _open(chart_id, title, description, legend + group * len(categories))
    if legend:
        _legend(parts, [s.label for s in series], label_width)
    for index, category in enumerate(categories):
        top = legend + index * group
        middle = top + (len(series) * (bar + gap)) / 2 + 4
        parts.append(_label(category, 0, middle, label_width))
        for n, s in enumerate(series):
            value = s.values[index]
            y = top + n * (bar + gap)
            width = round(track * value / largest) if value else 0
            colour = PALETTE[n % len(PALETTE)]
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{max(width, 1)}" height="{bar}" '
                f'fill="{colour}"/>'
            )
            shown = "–" if value is None else f"{_fmt(value)} {s.unit}".strip()
            parts.append(
                f'<text x="{label_width + width + 6}" y="{y + bar - 4}" font-weight="700">'
                f"{escape(shown)}</text>"
            )
        parts.append(
            f'<line x1="{label_width}" x2="{label_width}" y1="{top}" '
            f'y2="{top + group - group_gap}" stroke="{AXIS}"/>'
        )
    return _close(parts)


def _clip(text: str, width: int) -> str:
    """Shorten a label to what fits ``width`` pixels at 14 px (about 7.5 px a character)."""
    most = max(4, int(width / 7.5) - 1)
    return text if len(text) <= most else text[: most - 1] + "…"


def _label(text: str, x: float, y: float, width: int) -> str:
    """A category label cut to ``width``; a cut label keeps its full text as a tooltip."""
    shown = _clip(text, width)
    tip = f"<title>{escape(text)}</title>" if shown != text else ""
    return f'<text x="{x:.0f}" y="{y:.0f}">{tip}{escape(shown)}</text>'


def _ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(math.ceil(top / step) + 1)]


@dataclass(frozen=True)
class _Frame:
    """A plot area with a y axis from 0 to ``ticks[-1]``."""

    left: float
    top: float
    width: float
    height: float
    ticks: list[float]

    def y(self, value: float) -> float:
        return self.top + self.height * (1 - value / self.ticks[-1])


def _axes(parts: list[str], frame: _Frame, unit: str) -> None:
    for tick in frame.ticks:
        y = frame.y(tick)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.left + frame.width}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{frame.left - 6}" y="{y + 5:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(_fmt(tick))}{escape(unit)}</text>"
        )
    bottom = frame.top + frame.height
    parts.append(
        f'<line x1="{frame.left}" x2="{frame.left}" y1="{frame.top}" y2="{bottom}" '
        f'stroke="{AXIS}"/><line x1="{frame.left}" x2="{frame.left + frame.width}" '
        f'y1="{bottom}" y2="{bottom}" stroke="{AXIS}"/>'
    )


def line_chart(
    chart_id: str, title: str, description: str, periods: Sequence[str], series: Sequence[Series]
) -> Markup:
    """Lines over periods (e.g. quarters), one per series; a gap where a value is missing."""
    height = 300
    largest = max([v for s in series for v in s.values if v is not None] + [1])
    frame = _Frame(50, 36, WIDTH - 70, height - 80, _ticks(largest))
    parts = _open(chart_id, title, description, height)
    _legend(parts, [s.label for s in series], frame.left)
    _axes(parts, frame, "")
    step = frame.width / max(len(periods) - 1, 1)
    for i, period in enumerate(periods):
        parts.append(
            f'<text x="{frame.left + i * step:.1f}" y="{height - 24}" text-anchor="middle">'
            f"{escape(period)}</text>"
        )
    for n, s in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        runs: list[list[str]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            x, y = frame.left + i * step, frame.y(value)
            runs[-1].append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
            parts.append(
                f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" font-size="12">'
                f"{escape(_fmt(value))}</text>"
            )
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"/>'
                )
    return _close(parts)


@dataclass(frozen=True)
class FunnelPoint:
    """One unit in a funnel plot: its label, how many cases (n) and how many events."""

    label: str
    events: int
    n: int


def control_limits(target: float, n: int, z: float) -> tuple[float, float]:
    """Binomial control limits (normal approximation) around ``target`` for ``n`` cases."""
    spread = z * math.sqrt(target * (1 - target) / n) if n else 1.0
    return max(0.0, target - spread), min(1.0, target + spread)


def funnel_plot(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[FunnelPoint],
    target: float | None = None,
) -> Markup:
    """Rates against case counts, with 95 % and 99.8 % limits around the overall (or given) rate."""
    height = 340
    shown = [p for p in points if p.n > 0]
    total_n = sum(p.n for p in shown)
    target = target if target is not None else (sum(p.events for p in shown) / total_n or 0.5)
    most = max([p.n for p in shown] + [10])
    frame = _Frame(50, 36, WIDTH - 70, height - 90, [0, 25, 50, 75, 100])
    parts = _open(chart_id, title, description, height)
    _legend(parts, ["95 %", "99,8 %"], frame.left)
    _axes(parts, frame, " %")

    def x(n: float) -> float:
        return frame.left + frame.width * n / most

    for tick in _ticks(most, 4):
        if tick <= most:
            parts.append(
                f'<text x="{x(tick):.1f}" y="{frame.top + frame.height + 18:.1f}" '
                f'text-anchor="middle" fill="{MUTED}">{escape(_fmt(tick))}</text>'
            )
    for z, colour in ((1.96, PALETTE[0]), (3.09, PALETTE[1])):
        for side in (0, 1):
            curve = []
            for step in range(1, 61):
                n = most * step / 60
                limit = control_limits(target, max(1, round(n)), z)[side]
                curve.append(f"{x(n):.1f},{frame.y(limit * 100):.1f}")
            parts.append(
                f'<polyline points="{" ".join(curve)}" fill="none" stroke="{colour}" '
                f'stroke-dasharray="{"6 4" if z < 3 else "2 3"}" stroke-width="1.5"/>'
            )
    y_target = frame.y(target * 100)
    parts.append(
        f'<line x1="{frame.left}" x2="{frame.left + frame.width}" y1="{y_target:.1f}" '
        f'y2="{y_target:.1f}" stroke="{TEXT}" stroke-width="1.5"/>'
    )
    for p in shown:
        rate = p.events / p.n
        low, high = control_limits(target, p.n, 3.09)
        outside = rate < low or rate > high
        cx, cy = x(p.n), frame.y(rate * 100)
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{"#b3261e" if outside else TEXT}"/>'
            f'<text x="{cx + 8:.1f}" y="{cy + 4:.1f}" font-size="12">'
            f"{escape(p.label)}{escape(_(' (utanför gränserna)')) if outside else ''}</text>"
        )
    parts.append(
        f'<text x="{frame.left + frame.width / 2:.1f}" y="{height - 14}" text-anchor="middle">'
        f"{escape(_('Antal (n)'))}</text>"
    )
    return _close(parts)


def _heat_colour(value: float, low: float, high: float) -> tuple[str, str]:
    share = 0.0 if high == low else (value - low) / (high - low)
    index = min(len(HEAT) - 1, int(share * len(HEAT)))
    return HEAT[index], ("#ffffff" if index >= 3 else TEXT)


def heatmap(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    unit: str = "",
    label_width: int = 170,
) -> Markup:
    """A grid coloured by value, each cell with its number; a missing value shows as "–"."""
    cell_h, head = 30, 28
    cell_w = (WIDTH - label_width) / max(len(columns), 1)
    known = [v for row in values for v in row if v is not None]
    low, high = (min(known), max(known)) if known else (0, 1)
    parts = _open(chart_id, title, description, head + cell_h * len(rows))
    for j, column in enumerate(columns):
        parts.append(
            f'<text x="{label_width + (j + 0.5) * cell_w:.1f}" y="18" text-anchor="middle">'
            f"{escape(_clip(column, int(cell_w)))}</text>"
        )
    for i, row in enumerate(rows):
        y = head + i * cell_h
        parts.append(_label(row, 0, y + 20, label_width))
        for j, value in enumerate(values[i]):
            x = label_width + j * cell_w
            fill, ink = ("#f4f6f8", MUTED) if value is None else _heat_colour(value, low, high)
            text = "–" if value is None else f"{_fmt(value)}{unit}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" '
                f'fill="{fill}"/><text x="{x + cell_w / 2:.1f}" y="{y + 19}" '
                f'text-anchor="middle" fill="{ink}">{escape(text)}</text>'
            )
    return _close(parts)
