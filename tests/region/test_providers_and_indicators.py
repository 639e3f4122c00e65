"""Region figures come through registered providers; indicators are defined once."""

from __future__ import annotations

import ast
import pathlib
from datetime import date

import pytest

import samverka.modules.region as region_package
from samverka.modules.region import providers
from samverka.modules.region.indicators import INDICATORS, Indicator, Rule, register


def test_region_module_imports_no_other_modules_models():
    """The region reads other modules only through providers (style: providers, not imports)."""
    root = pathlib.Path(region_package.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.ImportFrom) and node.module):
                continue
            parts = node.module.split(".")
            platform_module = len(parts) > 2 and parts[2] in ("region", "jobs", "tenancy", "auth")
            if (
                parts[:2] == ["samverka", "modules"]
                and not platform_module
                and parts[-1] == "models"
            ):
                offenders.append(f"{path.name}: {node.module}")
    assert offenders == []


def test_forums_module_registers_its_providers(app):
    found = providers.registered()
    assert found["forum_activity"].period == "quarter"
    assert found["attendance_by_org_type"].period == "quarter"
    assert found["forum_activity"].fn.__module__ == "samverka.modules.forums.region"


def test_unknown_provider_and_wrong_period_are_refused(app):
    period = providers.Period.quarters(date(2026, 8, 1), 2)
    assert period.labels == ("2026-Q2", "2026-Q3")
    with pytest.raises(LookupError):
        providers.run("no_such_figure", None, period)
    half = providers.Period("half-year", ("2026-H2",), period.start, period.end)
    with pytest.raises(ValueError):
        providers.run("forum_activity", None, half)


def test_period_labels():
    assert providers.period_label(date(2026, 8, 1), "quarter") == "2026-Q3"
    assert providers.period_label(date(2026, 8, 1), "half-year") == "2026-H2"
    assert providers.period_label(date(2026, 8, 1), "year") == "2026"
    with pytest.raises(ValueError):
        providers.provider("x", period="month")


def test_every_indicator_is_complete_and_kolada_ones_are_marked_unverified():
    assert {"forums.meetings_held", "forums.attendance_share", "kolada.N01919"} <= set(INDICATORS)
    for indicator in INDICATORS.values():
        assert indicator.title_sv and indicator.title_en and indicator.definition
        assert indicator.period in ("year", "half-year", "quarter")
        if indicator.source.startswith("kolada:"):
            assert indicator.rule is Rule.public and not indicator.verified
        else:
            assert indicator.source.removeprefix("platform:") in (
                "forum_activity",
                "attendance_by_org_type",
            )


def test_an_indicator_is_defined_once():
    existing = INDICATORS["forums.meetings_held"]
    with pytest.raises(ValueError):
        register(Indicator(**{**existing.__dict__}))
