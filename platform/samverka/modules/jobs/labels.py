"""Swedish names of job states."""

from flask_babel import lazy_gettext as _l

from samverka.modules.jobs.models import JobStatus

STATUS_LABELS = {
    JobStatus.queued: _l("Köat"),
    JobStatus.running: _l("Pågår"),
    JobStatus.retrying: _l("Försöker igen"),
    JobStatus.finished: _l("Klart"),
    JobStatus.failed: _l("Misslyckades"),
}


def status_label(status: JobStatus) -> str:
    return str(STATUS_LABELS[status])
