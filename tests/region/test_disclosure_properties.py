"""Property tests: no suppressed cell can be recovered; the LP audit agrees with brute force."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from samverka.modules.region.disclosure import TOTAL, Table, build_release, intervals
from samverka.modules.region.disclosure.audit import published_equations
from tests.region.disclosure_oracle import brute_force, lp_interval

BOUNDED = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def tables(draw, max_rows=4, max_cols=4, values=(0, 1, 2, 3, 4, 5, 6, 8, 12, 20)):
    n_rows = draw(st.integers(2, max_rows))
    n_cols = draw(st.integers(2, max_cols))
    cells = draw(
        st.lists(
            st.lists(st.sampled_from(values), min_size=n_cols, max_size=n_cols),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
    rows = [f"kommun{i}" for i in range(n_rows)]
    cols = [f"kategori{j}" for j in range(n_cols)]
    return Table.from_lists("test.table", "2026-H1", rows, cols, cells)


def _published(release):
    return [(eq.terms, eq.value) for eq in release.equations()]


@BOUNDED
@given(tables(max_rows=3, max_cols=4))
def test_no_suppressed_cell_is_recoverable_from_a_release(table):
    """From the release alone, every hidden cell can lie 2 below (or at 0) and 2 above its value."""
    release = build_release(table)
    variables = table.interior()
    for cell in release.suppressed:
        value = table.value(cell)
        low, high = lp_interval(variables, _published(release), table.terms(cell))
        assert low <= max(0, value - 2) + 1e-6, (cell, value, low)
        assert high >= value + 2 - 1e-6, (cell, value, high)
    for cell in table.cells():
        if 0 < table.value(cell) < 5:
            assert release.values[cell] is None, "every count 1–4 is shown as .."


@BOUNDED
@given(tables(max_rows=2, max_cols=3, values=(0, 1, 2, 3, 5)))
def test_brute_force_finds_every_hidden_cell_protected(table):
    """Enumerating every integer table that fits the release never pins a hidden cell down."""
    release = build_release(table)
    targets = {cell: table.terms(cell) for cell in release.suppressed}
    cap = table.value((TOTAL, TOTAL)) + 3
    found = brute_force(table.interior(), _published(release), targets.values(), cap)
    assume(found is not None)
    for cell, terms in targets.items():
        value = table.value(cell)
        low, high = found[terms]
        assert low <= max(0, value - 2) and high >= value + 2, (cell, value, low, high)


@st.composite
def hidden_patterns(draw):
    table = draw(tables(max_rows=3, max_cols=3, values=(0, 1, 2, 3)))
    interior = table.interior()
    hidden_interior = draw(st.sets(st.sampled_from(interior), min_size=1, max_size=4))
    margins = [c for c in table.cells() if TOTAL in c and c != (TOTAL, TOTAL)]
    hidden_margins = draw(st.sets(st.sampled_from(margins), max_size=3))
    return table, hidden_interior | hidden_margins


@BOUNDED
@given(hidden_patterns())
def test_lp_audit_intervals_match_brute_force_enumeration(pattern):
    """The audit's LP interval equals the integer one for any hidden pattern (grand total shown)."""
    table, hidden = pattern
    equations = [(eq.terms, eq.value) for eq in published_equations(table, hidden)]
    cap = table.value((TOTAL, TOTAL))
    targets = {cell: table.terms(cell) for cell in hidden}
    found = brute_force(table.interior(), equations, targets.values(), cap)
    assume(found is not None)
    for cell, (low, high) in intervals(table, hidden).items():
        assert (math.ceil(low - 1e-6), math.floor(high + 1e-6)) == found[targets[cell]], cell
