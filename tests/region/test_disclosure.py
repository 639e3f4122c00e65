"""Disclosure control rules, one behaviour per test."""

from __future__ import annotations

import pytest

from samverka.modules.region.disclosure import (
    TOTAL,
    Table,
    audit,
    build_release,
    median,
    primary,
    quartiles,
    rate,
)
from samverka.modules.region.disclosure.suppress import suppress

ROWS = ["Åmål", "Bengtsfors", "Dals-Ed"]
COLS = ["universell", "selektiv", "indikerad"]


def table(cells, **kw):
    return Table.from_lists("cases.level", "2026-H1", ROWS[: len(cells)], COLS, cells, **kw)


def test_counts_one_to_four_are_suppressed_and_zero_and_five_published():
    t = table([[0, 1, 4], [5, 9, 7], [6, 8, 12]])
    hidden = primary(t)
    assert ("Åmål", "selektiv") in hidden and ("Åmål", "indikerad") in hidden
    assert ("Åmål", "universell") not in hidden
    assert ("Bengtsfors", "universell") not in hidden


def test_a_cell_equal_to_its_row_total_is_suppressed():
    """Every case of Bengtsfors in one category says something about each of them."""
    t = table([[6, 7, 8], [0, 9, 0], [6, 8, 12]])
    assert ("Bengtsfors", "selektiv") in primary(t)


def test_a_cell_equal_to_its_column_total_is_suppressed():
    t = table([[6, 0, 8], [5, 9, 7], [6, 0, 12]])
    assert ("Bengtsfors", "selektiv") in primary(t)


def test_small_margins_are_suppressed_too():
    t = table([[0, 1, 2], [5, 9, 7], [6, 8, 12]])
    assert ("Åmål", TOTAL) in primary(t)


def test_release_shows_suppressed_cells_as_dots_and_holds_no_true_value():
    t = table([[0, 2, 9], [5, 9, 7], [6, 8, 12]])
    release = build_release(t)
    assert release.display("Åmål", "selektiv") == ".."
    assert release.get("Åmål", "selektiv") is None
    assert release.display("Åmål", "universell") == "0"
    assert all(release.values[c] in (None, t.value(c)) for c in t.cells())


def test_a_lone_suppressed_cell_is_not_left_derivable_from_its_total():
    """Total minus the visible cells would give the hidden one: secondary suppression stops it."""
    t = table([[7, 2, 9], [5, 9, 7], [6, 8, 12]])
    hidden = suppress(t)
    assert len([c for c in hidden if c[0] == "Åmål"]) >= 2
    assert audit(t, hidden) == []


def test_two_small_cells_do_not_protect_each_other():
    """1 + 2 hidden in one row still sum below 5, so a third cell is hidden (rule S2)."""
    t = table([[1, 2, 9], [5, 9, 7], [6, 8, 12]])
    hidden = suppress(t)
    assert {("Åmål", "universell"), ("Åmål", "selektiv"), ("Åmål", "indikerad")} <= hidden


def test_an_unprotected_pattern_fails_the_audit():
    t = table([[7, 2, 9], [5, 9, 7], [6, 8, 12]])
    assert audit(t, {("Åmål", "selektiv")}) == [("Åmål", "selektiv")]


def test_a_table_about_services_is_exempt():
    t = table([[0, 1, 4], [5, 9, 7], [6, 8, 12]], about_people=False)
    release = build_release(t)
    assert release.exempt
    assert release.suppressed == []
    assert release.get("Åmål", "indikerad") == 4


def test_rate_is_suppressed_when_its_numerator_or_denominator_is():
    assert rate(3, 12) == 25
    assert rate(None, 12) is None
    assert rate(3, None) is None
    assert rate(0, 0) is None


def test_rate_follows_the_cells_of_a_release():
    release = build_release(table([[0, 2, 9], [5, 9, 7], [6, 8, 12]]))
    assert rate(release.get("Åmål", "selektiv"), release.get("Åmål")) is None
    assert rate(release.get("Bengtsfors", "universell"), 10) == 50


def test_median_needs_five_and_quartiles_ten():
    assert median([3, 1, 2, 8]) is None
    assert median([3, 1, 2, 8, 5]) == 3
    assert quartiles(list(range(9))) is None
    assert quartiles(list(range(10))) == pytest.approx((2.25, 4.5, 6.75))
    assert median([3, 1], exempt=True) == 2


def test_differencing_two_releases_is_caught_through_the_ledger():
    """Dals-Ed joins after the first release of the half-year; combined, the releases would leak."""
    cells = [[3, 12, 2], [6, 10, 1], [0, 10, 5]]
    first = Table.from_lists("cases.level", "2026-H1", ROWS[:2], COLS, cells[:2])
    second = Table.from_lists("cases.level", "2026-H1", ROWS, COLS, cells)
    earlier = build_release(first).equations()
    # Audited on its own, the second release would be accepted …
    alone = suppress(second)
    assert audit(second, alone) == []
    # … but with what the first one published, some of its hidden cells are pinned down.
    assert audit(second, alone, earlier) != []
    protected = build_release(second, earlier)
    assert audit(second, set(protected.suppressed), earlier) == []
