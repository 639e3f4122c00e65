"""Gunicorn settings for Samverka: gunicorn -c infra/gunicorn.conf.py samverka.wsgi:app

Every knob reads an environment variable; the defaults suit one container of a few cores.
"""

import os
import re

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours the container's cpuset
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT') or 8000}"

# 2 x cores + 1, capped by GUNICORN_WORKERS (default 8): every worker process holds its own
# database pool, so the cap is what bounds PostgreSQL connections per instance (see SCALING.md).
workers = min(2 * _cpus() + 1, _int("GUNICORN_WORKERS", 8))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Worker heartbeat files on tmpfs, off the overlay disk (gunicorn creates them with mkstemp).
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Never preload. With preload_app the app -- its SQLAlchemy engine pools and Redis clients --
# would be built once in the master and inherited by every forked worker, so several processes
# would share the same sockets and corrupt each other's protocol streams. Pools must not cross
# fork: each worker imports the app after fork and opens its own connections.
preload_app = False

# Trust X-Forwarded-* only from the load balancer / reverse proxy (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
errorlog = "-"
accesslog = "-"
# Method, path without query string, status, duration. No client address, referer or agent.
access_log_format = '"%(m)s %(U)s" %(s)s %(M)sms'

# The iCalendar feeds (paths under /kalender/) carry a secret token in the URL: the segment
# after /ical/ and possibly the query string. Query strings are never logged and that segment
# is masked, so a leaked log does not hand out subscriptions.
_ICAL_TOKEN = re.compile(r"(/ical/)[^/]+", re.IGNORECASE)


def _redact(uri: str) -> str:
    return _ICAL_TOKEN.sub(r"\1***", uri.split("?", 1)[0])


class RedactingLogger(Logger):
    """Hands the access log only the atoms below; any other atom renders as '-'."""

    def atoms(self, resp, req, environ, request_time):
        full = super().atoms(resp, req, environ, request_time)
        path = _redact(full["U"] or "")
        safe = {key: full[key] for key in ("m", "s", "t", "p", "T", "D", "M", "L", "H")}
        return {**safe, "U": path, "r": f"{full['m']} {path} {full['H']}"}

    def exception(self, msg, *args, **kwargs):
        # gunicorn names req.uri (with query) when a request fails outside the app.
        args = tuple(_redact(a) if isinstance(a, str) else a for a in args)
        super().exception(msg, *args, **kwargs)


logger_class = RedactingLogger
