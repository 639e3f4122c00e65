"""Swedish labels for the published figures named in manifests."""

from flask_babel import lazy_gettext as _l

INDICATOR_LABELS = {
    "population_total": _l("Folkmängd"),
    "population_0_19": _l("Barn och unga 0–19 år"),
    "demographic_dependency_ratio": _l("Demografisk försörjningskvot"),
    "concern_reports_per_month": _l("Orosanmälningar per månad"),
    "youth_unemployment_18_24": _l("Ungdomsarbetslöshet 18–24 år (%)"),
    "unemployed_18_24": _l("Arbetslösa 18–24 år (antal)"),
    "unemployed_18_24_without_upper_secondary": _l("Arbetslösa 18–24 år utan gymnasieexamen"),
    "grade9_complete_studies": _l("Behöriga till gymnasiet efter åk 9 (%)"),
}


def indicator_label(name: str) -> str:
    return str(INDICATOR_LABELS.get(name, name.replace("_", " ")))
