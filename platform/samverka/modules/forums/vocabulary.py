"""The shared vocabularies: organisation types, principals, levels, case rules, forum types.

Keys are stored; labels are Swedish (translated at render). One vocabulary for every
municipality, so the region can compare like with like.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Principal(StrEnum):
    kommun = "kommun"
    region = "region"
    stat = "stat"
    other = "other"


class Level(StrEnum):
    strategic = "strategic"
    operational = "operational"
    consultation = "consultation"


class CaseRule(StrEnum):
    none = "none"
    deidentified = "deidentified"
    consent = "consent"


PRINCIPAL_LABELS = {
    Principal.kommun: _l("Kommun"),
    Principal.region: _l("Region"),
    Principal.stat: _l("Stat"),
    Principal.other: _l("Annan"),
}
LEVEL_LABELS = {
    Level.strategic: _l("Strategisk"),
    Level.operational: _l("Operativ"),
    Level.consultation: _l("Konsultation"),
}
CASE_RULE_LABELS = {
    CaseRule.none: _l("Inga enskilda ärenden"),
    CaseRule.deidentified: _l("Endast avidentifierade ärenden"),
    CaseRule.consent: _l("Identifierade ärenden med samtycke"),
}

#: Organisation types (key → (label, usual principal)).
ORGANISATION_TYPES: dict[str, tuple[object, Principal]] = {
    "school": (_l("Skola / skolenhet"), Principal.kommun),
    "preschool": (_l("Förskola"), Principal.kommun),
    "student_health": (_l("Elevhälsa"), Principal.kommun),
    "ifo": (_l("Socialtjänst (IFO)"), Principal.kommun),
    "leisure": (_l("Fritid"), Principal.kommun),
    "open_preschool": (_l("Öppen förskola"), Principal.kommun),
    "employment": (_l("Arbetsmarknadsenhet (AME)"), Principal.kommun),
    "public_health": (_l("Folkhälsa"), Principal.kommun),
    "police": (_l("Polis"), Principal.stat),
    "bvc": (_l("Barnavårdscentral (BVC)"), Principal.region),
    "mvc": (_l("Mödravårdscentral (MVC)"), Principal.region),
    "bup": (_l("Barn- och ungdomspsykiatri (BUP)"), Principal.region),
    "habilitation": (_l("Habilitering"), Principal.region),
    "primary_care": (_l("Primärvård / vårdcentral"), Principal.region),
    "youth_clinic": (_l("Ungdomsmottagning"), Principal.region),
    "psychiatry": (_l("Vuxenpsykiatri"), Principal.region),
    "speech_therapy": (_l("Logoped"), Principal.region),
    "coordination_association": (_l("Samordningsförbund"), Principal.other),
    "other": (_l("Annan"), Principal.other),
}


@dataclass(frozen=True)
class ForumType:
    key: str
    label: object
    level: Level
    member_types: tuple[str, ...]
    cadence: str  # a human description of the usual cadence
    age_min: int | None
    age_max: int | None
    case_rule: CaseRule
    agenda: tuple[str, ...]


# Agenda skeletons are data copied into the municipality's forums, so they stay in Swedish.
_FOLLOW_UP = "Uppföljning av åtgärder från föregående möte"
_ROUND = "Runda: aktuellt från varje verksamhet"
_NEXT = "Nästa möte"

FORUM_TYPES: dict[str, ForumType] = {
    t.key: t
    for t in (
        ForumType(
            "sspf_working",
            _l("SSPF arbetsgrupp"),
            Level.operational,
            ("school", "ifo", "police", "leisure"),
            "monthly",
            12,
            18,
            CaseRule.consent,
            (
                _FOLLOW_UP,
                "Lägesbild: unga i riskzon",
                "Ärenden (med samtycke)",
                "Insatser och samordning",
                _NEXT,
            ),
        ),
        ForumType(
            "sspf_steering",
            _l("SSPF styrgrupp"),
            Level.strategic,
            ("school", "ifo", "police", "leisure"),
            "quarterly",
            12,
            18,
            CaseRule.none,
            (_FOLLOW_UP, "Rapport från arbetsgruppen", "Resurser och prioriteringar", _NEXT),
        ),
        ForumType(
            "student_health",
            _l("Elevhälsans samverkansmöte"),
            Level.consultation,
            ("school", "student_health", "ifo"),
            "monthly",
            6,
            19,
            CaseRule.deidentified,
            (_FOLLOW_UP, "Avidentifierade konsultationer", "Generella frågor", _NEXT),
        ),
        ForumType(
            "student_collab",
            _l("Elevsamverkan"),
            Level.operational,
            ("ifo", "school", "student_health"),
            "school_year",
            6,
            19,
            CaseRule.consent,
            (_FOLLOW_UP, "Ärenden (vårdnadshavares samtycke)", "Insatser", _NEXT),
        ),
        ForumType(
            "child_collab",
            _l("Barnsamverkan"),
            Level.operational,
            ("ifo", "preschool", "bvc", "speech_therapy"),
            "school_year",
            1,
            5,
            CaseRule.consent,
            (_FOLLOW_UP, "Ärenden (vårdnadshavares samtycke)", "Insatser", _NEXT),
        ),
        ForumType(
            "family_centre",
            _l("Familjecentral"),
            Level.operational,
            ("open_preschool", "mvc", "bvc", "ifo"),
            "monthly",
            0,
            5,
            CaseRule.none,
            (_FOLLOW_UP, _ROUND, "Gemensamma aktiviteter", _NEXT),
        ),
        ForumType(
            "hlt_team",
            _l("HLT-team"),
            Level.operational,
            ("bvc", "preschool", "ifo", "mvc"),
            "every_3_weeks",
            0,
            5,
            CaseRule.consent,
            (_FOLLOW_UP, "Ärenden anmälda en vecka före (med samtycke)", "Insatser", _NEXT),
        ),
        ForumType(
            "steering",
            _l("Styrgrupp"),
            Level.strategic,
            (
                "primary_care",
                "psychiatry",
                "bup",
                "youth_clinic",
                "ifo",
                "school",
                "coordination_association",
                "public_health",
            ),
            "monthly",
            None,
            None,
            CaseRule.none,
            (_FOLLOW_UP, _ROUND, "Beslut", _NEXT),
        ),
        ForumType(
            "local_care",
            _l("Lokal vårdsamverkan"),
            Level.strategic,
            ("primary_care", "ifo", "school", "bup"),
            "quarterly",
            None,
            None,
            CaseRule.none,
            (_FOLLOW_UP, _ROUND, "Gemensamma frågor", _NEXT),
        ),
        ForumType(
            "other",
            _l("Annat forum"),
            Level.operational,
            (),
            "monthly",
            None,
            None,
            CaseRule.none,
            (_FOLLOW_UP, _ROUND, _NEXT),
        ),
    )
}
