"""Swedish demo texts for meetings: minutes paragraphs, decisions, actions, cancellations.

No real persons and no case details: forums that take cases mention only how many were raised
and under which rule (consent or de-identified consultation).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    #: (heading, paragraph) pairs; a held meeting's minutes use two or three of them.
    topics: tuple[tuple[str, str], ...]
    decisions: tuple[str, ...]
    #: (title, organisation type of the usual owner).
    actions: tuple[tuple[str, str], ...]


CANCEL_REASONS = (
    "Inställt på grund av få anmälda deltagare.",
    "Inställt: krockar med studiedag.",
    "Inställt på grund av sjukdom hos sammankallande.",
    "Inställt; frågorna tas vid nästa möte.",
    "Inställt på grund av lov.",
)

OPENING = "<h4>Uppföljning</h4><p>Föregående mötes åtgärder gicks igenom{detail}.</p>"

SSPF = Texts(
    topics=(
        (
            "Lägesbild",
            "Polisen och fältassistenterna beskrev läget i centrum och kring skolan. Något "
            "lugnare på kvällstid; fortsatt oro för grupper som samlas vid busstationen.",
        ),
        (
            "Lägesbild",
            "Fritid rapporterade högre besöksantal på fritidsgården. Skolan ser ökad frånvaro "
            "i årskurs 8 och vill samordna insatser med socialtjänsten.",
        ),
        (
            "Ärenden med samtycke",
            "{cases} ärenden följdes upp; samtycke från vårdnadshavare och ungdom finns. "
            "Insatserna löper enligt plan och samordnas av respektive handläggare.",
        ),
        (
            "Ärenden med samtycke",
            "{cases} nya ärenden anmäldes med samtycke. Ett samordningsmöte med vårdnadshavare "
            "bokas; ansvarig utses nedan.",
        ),
        (
            "Insatser och samordning",
            "Diskussion om sommarjobb och lovaktiviteter som förebyggande insats. "
            "Fritid tar fram förslag till styrgruppen.",
        ),
        (
            "Insatser och samordning",
            "Genomgång av rutinen för orosanmälan och hur återkoppling till skolan ska ske.",
        ),
    ),
    decisions=(
        "Arbetsgruppen fortsätter med gemensam kvällsvandring en gång per månad.",
        "Nya ärenden anmäls till koordinatorn senast en vecka före mötet.",
        "Lägesbilden sammanfattas till styrgruppen inför nästa styrgruppsmöte.",
        "Skolan och fritid samordnar information till vårdnadshavare inför lovet.",
    ),
    actions=(
        ("Boka samordningsmöte med vårdnadshavare och ungdom", "ifo"),
        ("Sammanställa lägesbild till styrgruppen", "other"),
        ("Ta fram förslag på lovaktiviteter", "leisure"),
        ("Återkoppla frånvarostatistik för årskurs 8–9", "school"),
        ("Planera gemensam kvällsvandring", "police"),
        ("Informera mentorer om rutinen för orosanmälan", "school"),
    ),
)

STRATEGIC = Texts(
    topics=(
        (
            "Rapport från verksamheterna",
            "Varje verksamhet redogjorde kort för läget. Fortsatt svårt att få till samverkan "
            "med BUP; gruppen diskuterade hur kontaktvägarna kan bli tydligare.",
        ),
        (
            "Resurser och prioriteringar",
            "Genomgång av budgetläget inför nästa år. Förebyggande arbete riskerar att "
            "prioriteras ned när resurserna är begränsade.",
        ),
        (
            "Tidiga samordnade insatser",
            "Diskussion om en gemensam struktur för tidiga samordnade insatser i Dalsland och "
            "vad Skottlandsmodellen skulle innebära för kommunens forum.",
        ),
        (
            "Statistik",
            "Genomgång av orosanmälningar och skolfrånvaro per termin (aggregerat, inga "
            "enskilda ärenden).",
        ),
        (
            "Kompetens",
            "Behov av utbildning i traumamedveten omsorg och ung psykisk hälsa lyftes.",
        ),
    ),
    decisions=(
        "Styrgruppen ställer sig bakom förslaget om gemensam rutin för SIP.",
        "Frågan om kontaktväg till BUP lyfts till den lokala vårdsamverkansgruppen.",
        "En gemensam utbildningsdag i traumamedveten omsorg planeras till våren.",
        "Uppföljning av arbetsgruppens närvaro redovisas varje termin.",
        "Lägesbilden godkänns och läggs till handlingarna.",
    ),
    actions=(
        ("Ta fram förslag på gemensam kontaktväg till BUP", "bup"),
        ("Sammanställa statistik över skolfrånvaro per termin", "school"),
        ("Planera utbildningsdag i traumamedveten omsorg", "public_health"),
        ("Uppdatera samverkansrutin för SIP", "ifo"),
        ("Bjuda in primärvården till nästa möte", "primary_care"),
        ("Redovisa budgetläget för förebyggande insatser", "ifo"),
    ),
)

CONSULTATION = Texts(
    topics=(
        (
            "Avidentifierade konsultationer",
            "{cases} avidentifierade konsultationer (frånvaro, oro för mående). Inga namn "
            "eller personuppgifter nämndes. Skolan fick råd om stöd och vägar vidare.",
        ),
        (
            "Avidentifierade konsultationer",
            "{cases} avidentifierade konsultationer. Socialsekreteraren beskrev vilket stöd "
            "socialtjänsten kan erbjuda utan biståndsbeslut.",
        ),
        (
            "Generella frågor",
            "Rutinen vid hög och ogiltig skolfrånvaro gicks igenom; den gemensamma "
            "blanketten används på alla enheter.",
        ),
        (
            "Generella frågor",
            "Information om ABC föräldrastöd och hur elevhälsan kan tipsa vårdnadshavare.",
        ),
    ),
    decisions=(
        "Frånvarorutinen gäller oförändrad; uppföljning nästa termin.",
        "Konsultationer anmäls till rektor senast dagen före mötet.",
        "Socialtjänsten informerar om föräldrastöd på nästa arbetsplatsträff.",
    ),
    actions=(
        ("Skicka ut frånvarorutinen till mentorerna", "school"),
        ("Informera om ABC föräldrastöd på arbetsplatsträff", "ifo"),
        ("Sammanställa frånvarostatistik per årskurs", "student_health"),
        ("Se över elevhälsoplanen", "school"),
    ),
)

CONSENT = Texts(
    topics=(
        (
            "Ärenden med vårdnadshavares samtycke",
            "{cases} ärenden lyftes; samtycke från vårdnadshavare finns för samtliga. Insatser "
            "och ansvar fördelades, se åtgärder.",
        ),
        (
            "Ärenden med vårdnadshavares samtycke",
            "{cases} ärenden följdes upp. Vårdnadshavare har informerats om vad som tas upp.",
        ),
        (
            "Insatser",
            "Genomgång av vilka insatser som finns för målgruppen och hur man ansöker, med "
            "målet en väg in för familjerna.",
        ),
        (
            "Övergångar",
            "Samverkan vid övergången från förskola till skola och från högstadiet till "
            "gymnasiet diskuterades.",
        ),
    ),
    decisions=(
        "SIP erbjuds när både region och kommun behöver bidra med insatser.",
        "Nya ärenden anmäls med samtyckesblankett en vecka före mötet.",
        "Övergångsrutinen prövas under vårterminen.",
    ),
    actions=(
        ("Kalla till SIP-möte", "ifo"),
        ("Ta fram underlag om insatser för målgruppen", "student_health"),
        ("Följa upp samtycken som löper ut", "ifo"),
        ("Boka överlämningsmöte inför skolstart", "school"),
        ("Kontakta BVC om gemensamt föräldramöte", "bvc"),
    ),
)

FAMILY = Texts(
    topics=(
        (
            "Runda",
            "Varje verksamhet berättade om aktuellt: fler besök på öppna förskolan, nya "
            "föräldragrupper startar via BVC.",
        ),
        (
            "Gemensamma aktiviteter",
            "Planering av babycafé, föräldragrupper och temakväll om sömn och språk.",
        ),
        (
            "Gemensamma aktiviteter",
            "Utvärdering av terminens föräldragrupper; deltagandet var högt.",
        ),
    ),
    decisions=(
        "Temakväll om barns språkutveckling genomförs under terminen.",
        "Gemensamt program för terminen publiceras på kommunens webbplats.",
    ),
    actions=(
        ("Boka lokal för temakvällen", "open_preschool"),
        ("Ta fram terminsprogram för familjecentralen", "open_preschool"),
        ("Informera om föräldragrupper vid BVC-besök", "bvc"),
        ("Sprida information om ABC föräldrastöd", "ifo"),
    ),
)


def texts_for(forum_type: str, case_rule: str, level: str) -> Texts:
    """The text set that fits a forum: its case rule first, then its type."""
    if forum_type == "family_centre":
        return FAMILY
    if case_rule == "deidentified":
        return CONSULTATION
    if level == "strategic" or case_rule == "none":
        return STRATEGIC
    if forum_type == "sspf_working":
        return SSPF
    return CONSENT
