"""Demo data for the five Dalsland municipalities: their organisations, people and forums.

The forums, their members and cadences follow the municipalities' own descriptions in
``shared/seeds/dalsland-tidiga-samordnade-insatser.txt`` §4. The source names no schools, so school
units carry descriptive names. Every person is fictitious; names are drawn from the lists below.
Texts are data copied into the municipalities' schemas, so they stay in Swedish.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from samverka.modules.forums.vocabulary import CaseRule, Level, Principal


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    #: Key in vocabulary.ORGANISATION_TYPES.
    type: str
    #: Only when it differs from the type's usual principal (e.g. the municipality's speech therapist).
    principal: Principal | None = None


@dataclass(frozen=True)
class Person:
    key: str
    role_title: str
    org: str
    #: "coordinator" or "member": linked to that demo account of the municipality.
    account: str | None = None


@dataclass(frozen=True)
class Cadence:
    #: weekly, every_n_weeks, monthly (nth weekday; interval 3 = quarterly) or school_year.
    kind: str
    weekday: int = 1
    interval: int = 1
    week_of_month: int | None = None
    #: Quarterly cadences: the months a meeting falls in (picks the phase).
    months: tuple[int, ...] = ()
    #: every_n_weeks on odd (1) or even (0) ISO weeks.
    week_parity: int | None = None
    #: school_year: (month, nth weekday of that month) per meeting, e.g. one autumn, two spring.
    school_dates: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class ForumSpec:
    forum_type: str
    name: str
    purpose: str
    cadence: Cadence
    #: Person keys; the convener is named separately.
    people: tuple[str, ...]
    convener: str
    location: str
    start: str = "09:00"
    duration: int = 90
    level: Level | None = None
    case_rule: CaseRule | None = None
    age: tuple[int | None, int | None] | None = None
    #: Started less than a year ago (a forum still forming).
    started_days_ago: int | None = None


@dataclass(frozen=True)
class MunicipalityDemo:
    place: str
    orgs: tuple[Org, ...]
    people: tuple[Person, ...]
    forums: tuple[ForumSpec, ...] = field(default=())


FIRST_NAMES = (
    "Anna", "Maria", "Karin", "Sara", "Emma", "Lena", "Helena", "Sofia", "Johanna", "Camilla",
    "Ida", "Linnea", "Malin", "Therese", "Jenny", "Frida", "Elin", "Hanna", "Cecilia", "Amira",
    "Johan", "Erik", "Lars", "Mikael", "Anders", "Peter", "Daniel", "Fredrik", "Magnus", "Jonas",
    "Mattias", "Henrik", "Niklas", "Tobias", "Ahmed", "Samir", "Oskar", "Viktor", "Emil", "Patrik",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Berglund", "Carlsson", "Dahlberg", "Ek", "Forsberg", "Gustafsson", "Hedlund",
    "Holm", "Isaksson", "Jakobsson", "Karlsson", "Lindqvist", "Lundgren", "Magnusson", "Nyberg",
    "Olofsson", "Pettersson", "Rydberg", "Sandberg", "Sjöberg", "Strand", "Svensson", "Wallin",
    "Åberg", "Öberg", "Hassan", "Nilsson", "Bergström", "Axelsson", "Fransson", "Lilja",
)  # fmt: skip


def common_orgs(place: str, genitive: str) -> tuple[Org, ...]:
    """The organisations every Dalsland municipality works with, named for the place."""
    return (
        Org("skola_f6", f"{genitive} grundskola F–6", "school"),
        Org("skola_79", f"{genitive} högstadieskola 7–9", "school"),
        Org("elevhalsa", f"Elevhälsan, {genitive} kommun", "student_health"),
        Org("forskola", f"Förskolan, {genitive} kommun", "preschool"),
        Org("oppna", f"Öppna förskolan, familjecentralen {place}", "open_preschool"),
        Org("ifo", f"Individ- och familjeomsorgen (IFO), {genitive} kommun", "ifo"),
        Org("fritid", f"Fritid och ungdom, {genitive} kommun", "leisure"),
        Org("folkhalsa", f"Folkhälsa, {genitive} kommun", "public_health"),
        Org("ame", f"Arbetsmarknadsenheten (AME), {genitive} kommun", "employment"),
        Org("polis", f"Polisen, kommunpolis {place}", "police"),
        Org("vc", f"Närhälsan {place} vårdcentral", "primary_care"),
        Org("bvc", f"Närhälsan {place} barnavårdscentral", "bvc"),
        Org("mvc", f"Närhälsan {place} barnmorskemottagning", "mvc"),
        Org("bup", "Barn- och ungdomspsykiatrin (BUP), NU-sjukvården", "bup"),
        Org("hab", "Barn- och ungdomshabiliteringen Fyrbodal", "habilitation"),
        Org("um", f"Ungdomsmottagningen {place}", "youth_clinic"),
    )


def common_people() -> tuple[Person, ...]:
    """The roles that recur in every municipality's forums."""
    return (
        Person("rektor_f6", "Rektor F–6", "skola_f6"),
        Person("rektor_79", "Rektor 7–9", "skola_79"),
        Person("specped", "Specialpedagog", "skola_79"),
        Person("spl", "Speciallärare", "skola_79"),
        Person("skolskoterska", "Skolsköterska", "elevhalsa"),
        Person("kurator", "Skolkurator", "elevhalsa", account="member"),
        Person("socsek", "Socialsekreterare, barn och unga", "ifo"),
        Person("fambeh", "Familjebehandlare", "ifo"),
        Person("ifochef", "Enhetschef IFO barn och familj", "ifo"),
        Person("polis", "Kommunpolis", "polis"),
        Person("fritidsledare", "Fritidsledare", "fritid"),
        Person("fritidschef", "Fritidschef", "fritid"),
        Person("skolchef", "Skolchef", "skola_79"),
        Person("forskolerektor", "Rektor förskola", "forskola"),
        Person("forskolespecped", "Specialpedagog förskola", "forskola"),
        Person("oppna", "Förskollärare, öppna förskolan", "oppna"),
        Person("bvc", "BVC-sjuksköterska", "bvc"),
        Person("mvc", "Barnmorska", "mvc"),
        Person("bup", "Kurator, BUP-kontakt", "bup"),
        Person("bupchef", "Enhetschef BUP", "bup"),
        Person("vcchef", "Verksamhetschef vårdcentral", "vc"),
        Person("habchef", "Enhetschef habilitering", "hab"),
        Person("folkhalsa", "Folkhälsosamordnare", "folkhalsa"),
    )


def _local_care(place: str) -> ForumSpec:
    return ForumSpec(
        "local_care",
        f"Lokal vårdsamverkansgrupp {place}",
        "Strategisk samverkan mellan hälso- och sjukvården och kommunen inom Vårdsamverkan "
        "Fyrbodal. Inga individärenden lyfts, samtal sker på övergripande nivå.",
        Cadence("monthly", weekday=3, interval=3, week_of_month=2, months=(3, 6, 9, 12)),
        ("vcchef", "bupchef", "habchef", "ifochef", "skolchef", "folkhalsa"),
        convener="folkhalsa",
        location="Kommunhuset, sammanträdesrum",
        start="13:00",
        duration=120,
    )


_SCHOOL_WEEKS_3 = ((10, 2), (2, 1), (5, 2))  # one meeting in autumn, two in spring

BENGTSFORS = MunicipalityDemo(
    place="Bengtsfors",
    orgs=(
        *common_orgs("Bengtsfors", "Bengtsfors"),
        Org("psykteam", "Närhälsans psykosociala team", "primary_care"),
        Org("bra", "Brottsförebyggande rådet (BRÅ), Bengtsfors kommun", "other", Principal.kommun),
    ),
    people=(
        *common_people(),
        Person("sspf", "SSPF-koordinator", "bra", account="coordinator"),
        Person("falt", "Fältassistent", "ifo"),
        Person("lpochef", "Lokalpolisområdeschef", "polis"),
        Person("projledare", "Projektledare Med gemensamma krafter", "folkhalsa"),
        Person("psykolog", "Psykolog, psykosociala teamet", "psykteam"),
    ),
    forums=(
        ForumSpec(
            "sspf_working",
            "SSPF arbetsgrupp Bengtsfors",
            "Informationsutbyte för att fånga upp barn och unga i riskzon för kriminalitet. "
            "Skola, IFO, polis och fritid samarbetar med vårdnadshavare och ungdom.",
            Cadence("monthly", weekday=1, week_of_month=2),
            ("rektor_79", "kurator", "socsek", "falt", "polis", "fritidsledare"),
            convener="sspf",
            location="Kommunhuset Bengtsfors, rum Lelång",
            start="13:00",
        ),
        ForumSpec(
            "sspf_steering",
            "SSPF styrgrupp Bengtsfors",
            "Helhetsbild kring barn och unga: hur verksamheterna arbetar främjande och "
            "förebyggande kring normbrytande beteende, kriminalitet och missbruk.",
            Cadence("monthly", weekday=3, interval=3, week_of_month=1, months=(2, 5, 8, 11)),
            ("skolchef", "ifochef", "lpochef", "fritidschef"),
            convener="sspf",
            location="Kommunhuset Bengtsfors",
            start="10:00",
        ),
        ForumSpec(
            "student_health",
            "Elevhälsans samverkansmöte Bengtsfors",
            "Elevhälsan och socialtjänsten konsulterar varandra avidentifierat om elever 6–19 år.",
            Cadence("monthly", weekday=2, week_of_month=1),
            ("specped", "spl", "skolskoterska", "kurator", "socsek"),
            convener="rektor_79",
            location="Högstadieskolan, konferensrummet",
            start="14:00",
        ),
        ForumSpec(
            "family_centre",
            "Familjecentralen Bengtsfors",
            "Samarbete mellan öppna förskolan, MVC, BVC och IFO för familjer med barn 0–5 år.",
            Cadence("monthly", weekday=0, week_of_month=-1),
            ("mvc", "bvc", "fambeh"),
            convener="oppna",
            location="Familjecentralen",
            start="08:30",
            duration=60,
        ),
        ForumSpec(
            "other",
            "Med gemensamma krafter – samverkansgrupp",
            "Samverkansprojekt för barn med utländsk bakgrund 7–16 år: psykosociala teamet, BUP, "
            "grundskola och IFO samordnar insatser till vårdnadshavare och barn.",
            Cadence("monthly", weekday=3, week_of_month=3),
            ("psykolog", "bup", "rektor_f6", "socsek"),
            convener="projledare",
            location="Teams",
            start="10:00",
            duration=60,
            level=Level.operational,
            case_rule=CaseRule.none,
            age=(7, 16),
        ),
        _local_care("Bengtsfors"),
    ),
)

DALS_ED = MunicipalityDemo(
    place="Dals-Ed",
    orgs=(
        *common_orgs("Dals-Ed", "Dals-Eds"),
        Org("trygghet", "Trygghet och säkerhet, Dals-Eds kommun", "other", Principal.kommun),
        Org("insats", "Insatskoordinering, Dals-Eds kommun", "student_health"),
    ),
    people=(
        *common_people(),
        Person("insatskoord", "Insatskoordinator", "insats", account="coordinator"),
        Person("trygghet", "Trygghets- och säkerhetssamordnare", "trygghet"),
    ),
    forums=(
        ForumSpec(
            "child_collab",
            "Barnsamverkan Dals-Ed",
            "Samverkan mellan BVC, IFO, förskolan och förskolans barnhälsoteam kring barn "
            "1–5 år. Enskilda barn lyfts bara med vårdnadshavares samtycke.",
            Cadence("school_year", weekday=2, school_dates=_SCHOOL_WEEKS_3),
            ("bvc", "socsek", "forskolerektor", "forskolespecped"),
            convener="insatskoord",
            location="Förskolan, personalrummet",
            start="13:00",
            duration=120,
        ),
        ForumSpec(
            "student_collab",
            "Elevsamverkan Dals-Ed",
            "Samverkan mellan IFO, skolan och elevhälsoteamet kring elever 6–19 år, med "
            "vårdnadshavares samtycke. Rektor och skolkurator sammankallar.",
            Cadence("school_year", weekday=3, school_dates=_SCHOOL_WEEKS_3),
            ("kurator", "specped", "skolskoterska", "socsek", "insatskoord"),
            convener="rektor_79",
            location="Skolan, konferensrummet",
            start="13:00",
            duration=120,
        ),
        ForumSpec(
            "sspf_working",
            "SSPF samverkansgrupp Dals-Ed",
            "Helhetsbild kring barn och unga i kommunen; avstämning av nuläget kring "
            "normbrytande beteende, kriminalitet och missbruk. Inga individärenden lyfts.",
            Cadence("monthly", weekday=1, week_of_month=3),
            ("rektor_79", "socsek", "polis", "fritidsledare", "folkhalsa"),
            convener="trygghet",
            location="Kommunhuset Ed",
            start="09:00",
            level=Level.strategic,
            case_rule=CaseRule.none,
        ),
        ForumSpec(
            "family_centre",
            "Familjecentralen Dals-Ed",
            "Öppna förskolan, babycafé, föräldragrupper via BVC och familjeförskola, med stöd "
            "av pedagoger och familjebehandlare.",
            Cadence("monthly", weekday=3, week_of_month=1),
            ("bvc", "mvc", "fambeh"),
            convener="oppna",
            location="Familjecentralen Ed",
            start="08:30",
            duration=60,
        ),
        _local_care("Dals-Ed"),
    ),
)

FARGELANDA = MunicipalityDemo(
    place="Färgelanda",
    orgs=(
        *common_orgs("Färgelanda", "Färgelanda"),
        Org("oppenvard", "Öppenvården, Färgelanda kommun", "ifo"),
    ),
    people=(
        *common_people(),
        Person("samsoc", "Samverkande socialsekreterare", "ifo", account="coordinator"),
        Person("oppenvard", "Behandlare, öppenvården", "oppenvard"),
    ),
    forums=(
        ForumSpec(
            "student_health",
            "Elevhälsans samverkansmöte Färgelanda",
            "Elevhälsoteamet och samverkande socialsekreterare konsulterar avidentifierat om "
            "elever 6–19 år.",
            Cadence("monthly", weekday=1, week_of_month=2),
            ("specped", "spl", "skolskoterska", "kurator", "samsoc"),
            convener="rektor_79",
            location="Skolan, konferensrummet",
            start="14:00",
        ),
        ForumSpec(
            "other",
            "Samverkansgrupp IFO, skola, öppenvård och BUP",
            "En struktur för samverkan under uppbyggnad: IFO, skola, öppenvård och BUP stämmer "
            "av gemensamma frågor och rutiner (SIP enligt VästBus).",
            Cadence("every_n_weeks", weekday=3, interval=6),
            ("ifochef", "rektor_79", "oppenvard", "bup", "kurator"),
            convener="samsoc",
            location="Kommunhuset Färgelanda",
            start="13:00",
            level=Level.strategic,
            case_rule=CaseRule.none,
            age=(0, 18),
            started_days_ago=200,
        ),
        _local_care("Färgelanda"),
    ),
)

MELLERUD = MunicipalityDemo(
    place="Mellerud",
    orgs=(
        *common_orgs("Mellerud", "Melleruds"),
        Org("logoped", "Kommunens logoped, Melleruds kommun", "speech_therapy", Principal.kommun),
        Org("sparet", "Spåret, Melleruds kommun", "other", Principal.kommun),
        Org("bra", "Brottsförebyggande rådet (BRÅ), Melleruds kommun", "other", Principal.kommun),
    ),
    people=(
        *common_people(),
        Person("sspf", "SSPF-koordinator", "bra", account="coordinator"),
        Person("falt", "Fältsekreterare", "ifo"),
        Person("lpochef", "Lokalpolisområdeschef", "polis"),
        Person("logoped", "Logoped", "logoped"),
        Person("sparet", "Samordnare, Spåret", "sparet"),
        Person("amecoach", "Coach, AME", "ame"),
        Person("gymnkurator", "Skolkurator gymnasiet", "elevhalsa"),
    ),
    forums=(
        ForumSpec(
            "sspf_working",
            "SSPF arbetsgrupp Mellerud",
            "Informationsutbyte varje vecka för att fånga upp barn och unga i riskzon för "
            "kriminalitet, tillsammans med vårdnadshavare och ungdom.",
            Cadence("weekly", weekday=2),
            ("rektor_79", "kurator", "socsek", "falt", "polis", "fritidsledare"),
            convener="sspf",
            location="Kommunhuset Mellerud, rum Kroppefjäll",
            start="08:30",
            duration=60,
        ),
        ForumSpec(
            "sspf_steering",
            "SSPF styrgrupp Mellerud",
            "Avstämning av nuläget fyra gånger per år; inga individärenden lyfts.",
            Cadence("monthly", weekday=3, interval=3, week_of_month=2, months=(3, 6, 9, 12)),
            ("skolchef", "ifochef", "lpochef", "fritidschef"),
            convener="sspf",
            location="Kommunhuset Mellerud",
            start="10:00",
        ),
        ForumSpec(
            "student_health",
            "Elevhälsans samverkansmöte Mellerud",
            "Elevhälsan och socialsekreterare konsulterar avidentifierat om elever 6–19 år.",
            Cadence("every_n_weeks", weekday=1, interval=3),
            ("specped", "spl", "skolskoterska", "kurator", "socsek"),
            convener="rektor_79",
            location="Högstadieskolan, konferensrummet",
            start="14:30",
            duration=60,
        ),
        ForumSpec(
            "child_collab",
            "Barnsamverkan Mellerud",
            "Samverkan mellan BVC, socialtjänsten, förskolan och kommunens logoped kring barn "
            "1–5 år; enskilda barn lyfts med vårdnadshavares samtycke.",
            Cadence("school_year", weekday=1, school_dates=((10, 3), (3, 3))),
            ("bvc", "socsek", "forskolespecped", "logoped"),
            convener="forskolerektor",
            location="Förskolan, konferensrummet",
            start="13:00",
            duration=120,
        ),
        ForumSpec(
            "steering",
            "Styrgrupp barnsamverkan Mellerud",
            "Strategisk samverkan mellan BVC, IFO, förskolan och kommunens logoped.",
            Cadence("school_year", weekday=1, school_dates=((9, 2), (2, 2))),
            ("bvc", "ifochef", "logoped"),
            convener="forskolerektor",
            location="Kommunhuset Mellerud",
            start="10:00",
            age=(1, 5),
        ),
        ForumSpec(
            "other",
            "Spåret – samverkansmöte",
            "Lågtröskelverksamhet för unga 16–30 år: samordnare, skolkurator, coach från AME "
            "och socialsekreterare stämmer av samverkan.",
            Cadence("monthly", weekday=3, week_of_month=1),
            ("gymnkurator", "amecoach", "socsek"),
            convener="sparet",
            location="Spåret",
            start="13:00",
            duration=60,
            level=Level.operational,
            case_rule=CaseRule.consent,
            age=(16, 30),
        ),
        ForumSpec(
            "family_centre",
            "Familjecentralen Mellerud",
            "Samarbete mellan öppna förskolan, MVC, BVC och IFO för familjer med barn 0–5 år.",
            Cadence("monthly", weekday=1, week_of_month=-1),
            ("mvc", "bvc", "fambeh"),
            convener="oppna",
            location="Familjecentralen",
            start="08:30",
            duration=60,
        ),
        _local_care("Mellerud"),
    ),
)

AMAL = MunicipalityDemo(
    place="Åmål",
    orgs=(
        *common_orgs("Åmål", "Åmåls"),
        Org("gymn", "Åmåls gymnasieskola", "school"),
        Org("ungvux", "Ungvux, integrerad mottagning", "other", Principal.kommun),
        Org("psyk", "Psykiatrimottagningen Åmål", "psychiatry"),
        Org("sof", "SOF Samordningsförbundet", "coordination_association"),
    ),
    people=(
        *common_people(),
        Person("famsamordnare", "Samordnare, familjecentralen", "oppna", account="coordinator"),
        Person("koordpv", "Koordinator primärvård", "vc"),
        Person("koordeh", "Koordinator elevhälsan", "elevhalsa"),
        Person("gymnkurator", "Skolkurator gymnasiet", "elevhalsa"),
        Person("myndighet", "Socialsekreterare, myndighetsutövning", "ifo"),
        Person("ungvux", "Behandlare, Ungvux", "ungvux"),
        Person("ungvuxchef", "Enhetschef Ungvux", "ungvux"),
        Person("psykchef", "Enhetschef psykiatrimottagningen", "psyk"),
        Person("umchef", "Barnmorska, ungdomsmottagningen", "um"),
        Person("amechef", "Enhetschef integration och AME", "ame"),
        Person("sof", "Förbundschef", "sof"),
        Person("folkstrateg", "Folkhälsostrateg", "folkhalsa"),
    ),
    forums=(
        ForumSpec(
            "other",
            "Tillsammans i första linjen",
            "Samverkan kring barn 0–12 år i övergången från barnhälsovård och förskola till "
            "elevhälsa och skola; BUP deltar ungefär en gång i månaden.",
            Cadence("every_n_weeks", weekday=1, interval=2),
            (
                "koordpv",
                "forskolespecped",
                "specped",
                "skolskoterska",
                "kurator",
                "myndighet",
                "bup",
            ),
            convener="famsamordnare",
            location="Familjecentralen Åmål",
            start="13:00",
            level=Level.operational,
            case_rule=CaseRule.consent,
            age=(0, 12),
        ),
        ForumSpec(
            "student_collab",
            "Samverkansmöte elevhälsan och Ungvux",
            "Koordinator i elevhälsan (åk 7 till gymnasiet) möter Ungvux, koordinator "
            "primärvård och samverkande parter.",
            Cadence("every_n_weeks", weekday=3, interval=2),
            ("ungvux", "koordpv", "kurator", "gymnkurator", "skolskoterska"),
            convener="koordeh",
            location="Ungvux",
            start="10:00",
            age=(13, 19),
        ),
        ForumSpec(
            "student_collab",
            "Teamsavstämning åk 7–9 och Ungvux",
            "30 minuter på Teams, udda veckor: elevhälsan åk 7–9, Ungvux och koordinator "
            "primärvård.",
            Cadence("every_n_weeks", weekday=4, interval=2, week_parity=1),
            ("ungvux", "koordpv", "kurator", "skolskoterska"),
            convener="koordeh",
            location="Teams",
            start="08:15",
            duration=30,
            age=(13, 16),
        ),
        ForumSpec(
            "student_collab",
            "Teamsavstämning gymnasiet och Ungvux",
            "30 minuter på Teams, jämna veckor: elevhälsan på gymnasiet, Ungvux och koordinator "
            "primärvård.",
            Cadence("every_n_weeks", weekday=4, interval=2, week_parity=0),
            ("ungvux", "koordpv", "gymnkurator"),
            convener="koordeh",
            location="Teams",
            start="08:15",
            duration=30,
            age=(16, 19),
        ),
        ForumSpec(
            "steering",
            "Styrgrupp Ungvux och familjecentral",
            "Chefer och representanter stämmer av nuläget på övergripande strategisk nivå; "
            "inga individärenden lyfts.",
            Cadence("monthly", weekday=1, week_of_month=1),
            (
                "vcchef",
                "psykchef",
                "bupchef",
                "umchef",
                "amechef",
                "ifochef",
                "skolchef",
                "sof",
                "ungvuxchef",
            ),
            convener="folkstrateg",
            location="Stadshuset Åmål",
            start="13:00",
        ),
        ForumSpec(
            "family_centre",
            "Familjecentralen Åmål",
            "Samarbete mellan öppna förskolan, MVC, BVC och IFO för familjer med barn 0–5 år.",
            Cadence("monthly", weekday=2, week_of_month=2),
            ("mvc", "bvc", "fambeh", "oppna"),
            convener="famsamordnare",
            location="Familjecentralen Åmål",
            start="08:30",
            duration=60,
        ),
    ),
)

MUNICIPALITIES: dict[str, MunicipalityDemo] = {
    "amal": AMAL,
    "bengtsfors": BENGTSFORS,
    "dals-ed": DALS_ED,
    "fargelanda": FARGELANDA,
    "mellerud": MELLERUD,
}
