"""Server-rendered SVG charts: no script, no inline style, a title and a description for readers.

The chart repeats what a table on the same page says; the table is the text alternative. Every
bar carries its number as text, so no meaning depends on colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 680
LABEL_WIDTH = 170
VALUE_WIDTH = 130
BAR_HEIGHT = 18
BAR_GAP = 4
GROUP_GAP = 14
LEGEND_HEIGHT = 30


@dataclass(frozen=True)
class Series:
    """One kind of bar: its legend label, a word after each number, values per category."""

    label: str
    unit: str
    values: list[int]
    alt: bool = False


def grouped_bars(
    chart_id: str, title: str, description: str, categories: list[str], series: list[Series]
) -> Markup:
    """Horizontal bars, one group per category and one bar per series, scaled to the largest."""
    largest = max([v for s in series for v in s.values] + [1])
    track = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group = len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    height = LEGEND_HEIGHT + group * len(categories)
    parts = [
        f'<svg class="bar-chart__svg" id="{chart_id}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    x = LABEL_WIDTH
    for s in series:
        css = "bar-chart__bar bar-chart__bar--alt" if s.alt else "bar-chart__bar"
        parts.append(f'<rect class="{css}" x="{x}" y="4" width="14" height="14"/>')
        parts.append(f'<text x="{x + 20}" y="16">{escape(s.label)}</text>')
        x += 30 + 9 * len(s.label)
    for index, category in enumerate(categories):
        top = LEGEND_HEIGHT + index * group
        middle = top + (len(series) * (BAR_HEIGHT + BAR_GAP)) / 2 + 4
        parts.append(f'<text x="0" y="{middle:.0f}">{escape(category)}</text>')
        for n, s in enumerate(series):
            value = s.values[index]
            y = top + n * (BAR_HEIGHT + BAR_GAP)
            width = round(track * value / largest) if value else 0
            css = "bar-chart__bar bar-chart__bar--alt" if s.alt else "bar-chart__bar"
            parts.append(
                f'<rect class="{css}" x="{LABEL_WIDTH}" y="{y}" width="{max(width, 1)}" '
                f'height="{BAR_HEIGHT}"/>'
            )
            parts.append(
                f'<text class="bar-chart__value" x="{LABEL_WIDTH + width + 6}" '
                f'y="{y + BAR_HEIGHT - 4}">{value} {escape(s.unit)}</text>'
            )
        parts.append(
            f'<line class="bar-chart__axis" x1="{LABEL_WIDTH}" x2="{LABEL_WIDTH}" '
            f'y1="{top}" y2="{top + group - GROUP_GAP}"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
