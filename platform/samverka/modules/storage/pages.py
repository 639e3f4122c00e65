"""Swedish answers for a file that cannot be served, shared by every module with downloads."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from samverka.modules.storage.errors import FileMissing, StorageError


def unavailable_message() -> str:
    """Shown when the store did not answer in time; nothing was saved."""
    return _("Filarkivet svarar inte just nu, så filen kunde inte sparas. Försök igen om en stund.")


def file_error_page(exc: StorageError) -> tuple[str, int]:
    """404 "Filen saknas" when the row is there but its bytes are not; 503 when the store is down."""
    if isinstance(exc, FileMissing):
        status, title = 404, _("Filen saknas")
        detail = _(
            "Filen finns inte längre i filarkivet. Ladda upp den igen, eller be den som "
            "lade till den att göra det."
        )
    else:
        status, title = 503, _("Filarkivet svarar inte")
        detail = _("Filen kan inte hämtas just nu. Försök igen om en stund.")
    page = render_template("errors/error.html", status=status, title=title, detail=detail)
    return page, status
