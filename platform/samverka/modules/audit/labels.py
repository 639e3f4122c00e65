"""Swedish names of the fields an audit event records as changed (never the column names)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

FIELD_LABELS: dict[str, Any] = {
    "active": _l("Aktiv"),
    "age_max": _l("Ålder till"),
    "age_min": _l("Ålder från"),
    "cadence_dates": _l("Mötesdatum"),
    "cadence_exceptions": _l("Undantag från mötesrytmen"),
    "cadence_interval": _l("Antal veckor mellan mötena"),
    "cadence_kind": _l("Mötesrytm"),
    "cadence_start": _l("Mötesrytmen börjar"),
    "cadence_until": _l("Mötesrytmen slutar"),
    "cadence_week_of_month": _l("Vecka i månaden"),
    "cadence_weekday": _l("Veckodag"),
    "case_rule": _l("Ärenden"),
    "contact_email": _l("Kontaktpersonens e-post"),
    "contact_name": _l("Kontaktperson"),
    "contact_phone": _l("Kontaktpersonens telefon"),
    "duration_minutes": _l("Mötets längd"),
    "email": _l("E-post"),
    "format": _l("Format"),
    "forum_id": _l("Forum"),
    "forum_type": _l("Forumtyp"),
    "has_account": _l("Har konto"),
    "is_convener": _l("Sammankallande"),
    "level": _l("Nivå"),
    "location": _l("Plats"),
    "meeting_id": _l("Möte"),
    "meetings": _l("Antal möten"),
    "name": _l("Namn"),
    "organisation_id": _l("Organisation"),
    "organisation_rows": _l("Organisationer utan medlem"),
    "phone": _l("Telefon"),
    "principal": _l("Huvudman"),
    "purpose": _l("Syfte"),
    "reopened": _l("Öppnade godkända anteckningar igen"),
    "role_title": _l("Roll"),
    "rows": _l("Antal närvarorader"),
    "start_time": _l("Starttid"),
    "starts_at": _l("Tid"),
    "state": _l("Status"),
    "status": _l("Status"),
    "type": _l("Typ"),
    "user_id": _l("Konto"),
    "version": _l("Version"),
}
#: For a field added later without a label: still no internal name on the page.
OTHER_FIELD = _l("annat fält")


def field_labels(changes: dict[str, Any] | None) -> list[str]:
    """The changed fields of one event as people read them, each once, in recorded order."""
    labels: list[str] = []
    for key in changes or {}:
        label = str(FIELD_LABELS.get(key, OTHER_FIELD))
        if label not in labels:
            labels.append(label)
    return labels
