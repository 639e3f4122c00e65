"""Server-rendered SVG charts: valid, escaped, every number written out, downloadable as is."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from samverka.web import charts
from samverka.web.charts import FunnelPoint, Series

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def _parse(svg: str) -> ET.Element:
    """A standalone, well-formed SVG file (our own output, so the stdlib parser is fine)."""
    return ET.fromstring(str(svg))  # noqa: S314


def _texts(svg: str) -> list[str]:
    root = _parse(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_bars_write_every_value_and_escape_names():
    svg = charts.grouped_bars(
        "c1",
        "Möten",
        "Stapeldiagram",
        ["Åmål <script>", "Ed"],
        [Series("Planerade", "planerade", [4, 0]), Series("Hållna", "hållna", [3, None])],
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    texts = _texts(svg)
    assert {"4 planerade", "3 hållna", "0 planerade", "–"} <= set(texts)
    root = _parse(svg)
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Möten"
    assert "class=" not in svg.split("<title", 1)[1]  # colours as attributes: a file looks the same


def test_a_long_label_is_cut_but_keeps_its_full_name_as_tooltip():
    name = "Barn- och ungdomspsykiatrin (BUP), Norra Älvsborgs länssjukhus"
    svg = charts.grouped_bars("c2", "t", "d", [name], [Series("Närvaro", "%", [42])])
    label = next(t for t in _parse(svg).iter(f"{SVG}text") if t.find(f"{SVG}title") is not None)
    assert label.find(f"{SVG}title").text == name
    assert "…" in "".join(label.itertext())


def test_a_line_breaks_where_a_value_is_missing():
    svg = charts.line_chart(
        "c3", "t", "d", ["K1", "K2", "K3", "K4"], [Series("Möten", "", [2, 5, None, 4])]
    )
    root = _parse(svg)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2
    assert {"2", "5", "4", "K1", "K4"} <= set(_texts(svg))


def test_control_limits_narrow_with_more_cases():
    low, high = charts.control_limits(0.5, 100, 1.96)
    assert round(low, 3) == 0.402 and round(high, 3) == 0.598
    wide = charts.control_limits(0.5, 10, 1.96)
    assert wide[0] < low and wide[1] > high


def test_funnel_plot_flags_the_unit_outside_its_limits():
    points = [FunnelPoint("Åmål", 50, 100), FunnelPoint("Ed", 95, 100), FunnelPoint("Tom", 0, 0)]
    svg = charts.funnel_plot("c4", "t", "d", points, target=0.5)
    texts = _texts(svg)
    assert "Åmål" in texts and "Ed (utanför gränserna)" in texts
    assert not any(t.startswith("Tom") for t in texts)  # no cases, no point
    assert len(list(_parse(svg).iter(f"{SVG}polyline"))) == 4  # 95 % and 99.8 %


def test_heatmap_writes_each_cell_and_keeps_text_readable_on_dark_cells():
    svg = charts.heatmap(
        "c5", "t", "d", ["Åmål", "Ed"], ["BUP", "Skola"], [[10, 90], [None, 50]], " %"
    )
    root = _parse(svg)
    cells = {"".join(t.itertext()): t.get("fill") for t in root.iter(f"{SVG}text")}
    assert cells["90 %"] == "#ffffff" and cells["10 %"] == charts.TEXT
    assert "–" in cells
