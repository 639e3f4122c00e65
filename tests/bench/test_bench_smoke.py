"""``samverka bench tenancy`` runs end to end on a few tenants (figures printed, never judged)."""

import pytest
from click.testing import CliRunner

from samverka.bench.cli import bench
from samverka.bench.tenancy import ADDITIVE_REVISION, PROVISION, ROUTING_OVERHEAD, UPGRADE_AT_HEAD


@pytest.mark.pg
def test_bench_tenancy_prints_the_four_figures():
    result = CliRunner().invoke(bench, ["tenancy", "--tenants", "3", "--requests", "5"])
    assert result.exit_code == 0, result.output
    for label in (PROVISION, UPGRADE_AT_HEAD, ADDITIVE_REVISION, ROUTING_OVERHEAD):
        assert label in result.output
