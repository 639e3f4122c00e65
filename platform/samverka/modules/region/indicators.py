"""The region's indicators, each defined once: what it measures, where it comes from, which rule.

Kolada ids come from the research notes and are **unverified** until checked against
``GET /v3/kpi/{id}`` (``verified=False``); the Kolada import itself is not built yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Better(StrEnum):
    """Which direction is better, for colouring; ``neither`` for context figures."""

    higher = "higher"
    lower = "lower"
    neither = "neither"


class Rule(StrEnum):
    """The disclosure rule that applies (see ``modules/region/disclosure``)."""

    #: Counts about people: primary and secondary suppression, audited.
    people = "people"
    #: Counts about services (meetings, forums, attendance of organisations): published as is.
    services = "services"
    #: Already public (Kolada): shown as fetched, credited "Källa: Kolada", never used as margins.
    public = "public"


@dataclass(frozen=True)
class Indicator:
    id: str
    title_sv: str
    title_en: str
    definition: str
    unit: str
    numerator: str
    #: Empty for a plain count.
    denominator: str
    #: "year", "half-year" or "quarter" (the finest period published).
    period: str
    #: "kolada:N01919" or "platform:<provider name>".
    source: str
    better: Better
    rule: Rule
    #: False while a Kolada id or definition is taken from notes and not checked at the source.
    verified: bool = True


INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add an indicator; an id is defined once."""
    if indicator.id in INDICATORS:
        raise ValueError(f"indicator {indicator.id!r} defined twice")
    if indicator.period not in ("year", "half-year", "quarter"):
        raise ValueError(f"unknown period {indicator.period!r}")
    INDICATORS[indicator.id] = indicator
    return indicator


def _kolada(kpi: str, title_sv: str, title_en: str, unit: str, better: Better, **kw) -> Indicator:
    return register(
        Indicator(
            id=f"kolada.{kpi}",
            title_sv=title_sv,
            title_en=title_en,
            definition=kw.pop("definition", f"Kolada-nyckeltal {kpi}: {title_sv}."),
            unit=unit,
            numerator=kw.pop("numerator", title_sv),
            denominator=kw.pop("denominator", ""),
            period="year",
            source=f"kolada:{kpi}",
            better=better,
            rule=Rule.public,
            verified=False,
            **kw,
        )
    )


# Platform-internal, from the forums module's providers (counts about services: no suppression).
register(
    Indicator(
        id="forums.meetings_held",
        title_sv="Hållna möten",
        title_en="Meetings held",
        definition="Möten i status hållet som började under perioden, extra möten inräknade.",
        unit="antal",
        numerator="hållna möten",
        denominator="",
        period="quarter",
        source="platform:forum_activity",
        better=Better.neither,
        rule=Rule.services,
    )
)
register(
    Indicator(
        id="forums.held_of_planned",
        title_sv="Hållna möten av planerade",
        title_en="Meetings held of planned",
        definition=(
            "Hållna möten delat med planerade möten (möten ur forumets mötesrytm) under perioden; "
            "kan överstiga 100 % när ett forum haft extra möten."
        ),
        unit="%",
        numerator="hållna möten",
        denominator="planerade möten",
        period="quarter",
        source="platform:forum_activity",
        better=Better.higher,
        rule=Rule.services,
    )
)
register(
    Indicator(
        id="forums.attendance_share",
        title_sv="Närvaro per organisationstyp",
        title_en="Attendance by organisation type",
        definition=(
            "Andel av förväntade närvarotillfällen vid hållna möten där organisationen var med "
            "(på plats, digitalt eller genom ersättare)."
        ),
        unit="%",
        numerator="närvarande",
        denominator="förväntade",
        period="quarter",
        source="platform:attendance_by_org_type",
        better=Better.higher,
        rule=Rule.services,
    )
)

# Context from Kolada (ids from the research notes, unverified).
_kolada("N01919", "Invånare 0–19 år, antal", "Residents aged 0–19", "antal", Better.neither)
_kolada("N01994", "Invånare 0–19 år, andel", "Residents aged 0–19, share", "%", Better.neither)
_kolada(
    "N00927",
    "Demografisk försörjningskvot",
    "Demographic dependency ratio",
    "kvot",
    Better.neither,
    definition="(Invånare 0–19 år + 65 år och äldre) / invånare 20–64 år × 100.",
)
_kolada(
    "N02904",
    "Invånare 0–19 år i ekonomiskt utsatta hushåll, andel",
    "Residents aged 0–19 in economically vulnerable households, share",
    "%",
    Better.lower,
)
_kolada(
    "N15428",
    "Elever i åk 9 som är behöriga till yrkesprogram, hemkommun, andel",
    "Year 9 pupils eligible for a vocational programme, home municipality, share",
    "%",
    Better.higher,
)
