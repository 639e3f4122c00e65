"""Disclosure control for every figure the region sees: tables, charts, exports and API responses.

The rule (documented for analysts in README, "Region: disclosure control"):

Primary suppression (tables about people; a table about services, e.g. meetings held, is exempt
through ``Table.about_people=False`` and published as is):

- counts 1–4 are shown as ``..``; zero is published (threshold ``T = 5``);
- a non-zero cell equal to its row or column total is suppressed too ("everyone in X" discloses);
- a rate is suppressed whenever its numerator or its denominator is (:func:`rate`);
- a median is published only where n ≥ 5, quartiles only where n ≥ 10 (:func:`median`,
  :func:`quartiles`).

Secondary suppression: no suppressed cell may be derivable from what is published, by subtraction
from a total or by combining rows and columns. Cells are added smallest first, by the line rules
S2 (the hidden cells of a row or column sum to 0 or ≥ T, so two small cells cannot protect each
other) and S3 (a line holding a hidden 1 needs at least three hidden cells), then by an audit:
linear programming (``scipy.optimize.linprog``, HiGHS) computes each hidden cell's feasible
interval given every published cell and margin and x ≥ 0; the interval must reach at least
``p = 2`` below the true value (or down to 0) and 2 above it. Suppression repeats until the
audit passes.

Releases are frozen per period: :func:`build_release` returns only published values and
suppression marks; the true cover table never leaves memory. A ledger of published cells
(:mod:`.ledger`) feeds earlier releases' equations into the audit of a new release for the same
table and period, so differencing two releases cannot uncover a cell.
"""

from samverka.modules.region.disclosure.audit import Equation, audit, intervals
from samverka.modules.region.disclosure.release import Release, build_release
from samverka.modules.region.disclosure.stats import median, quartiles, rate
from samverka.modules.region.disclosure.suppress import primary, suppress
from samverka.modules.region.disclosure.table import SUPPRESSED_MARK, TOTAL, Table

__all__ = [
    "SUPPRESSED_MARK",
    "TOTAL",
    "Equation",
    "Release",
    "Table",
    "audit",
    "build_release",
    "intervals",
    "median",
    "primary",
    "quartiles",
    "rate",
    "suppress",
]
