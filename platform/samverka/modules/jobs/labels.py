"""Swedish names of job states."""

from flask_babel import lazy_gettext as _l

from samverka.modules.jobs.models import JobStatus

STATUS_LABELS = {
    JobStatus.queued: _l("Köat"),
    JobStatus.running: _l("Pågår"),
    JobStatus.retrying: _l("Försöker igen"),
    JobStatus.finished: _l("Klart"),
    JobStatus.failed: _l("Misslyckades"),
    JobStatus.cancelled: _l("Avbrutet"),
}
#: A running job without a recent heartbeat: its worker has most likely gone.
STALE_LABEL = _l("Har fastnat")


def status_label(status: JobStatus, stale: bool = False) -> str:
    return str(STALE_LABEL if stale else STATUS_LABELS[status])
