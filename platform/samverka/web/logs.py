"""Keep personal data out of error logs.

Engines hide bound parameters (``hide_parameters=True``), but PostgreSQL repeats values in its
own messages: ``DETAIL: Key (x)=(…)``, ``Failing row contains (…)``, ``invalid input syntax for
type integer: "…"``. Every warning or error record, from any logger and to any handler, has its
message and traceback scrubbed of those before a formatter sees it.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

from flask import Flask

_DETAIL = re.compile(r"^(\s*)DETAIL:.*$", re.MULTILINE)
_QUOTED_INPUT = re.compile(r'((?:invalid input (?:syntax|value) for [^:\n]*|value): )"[^"\n]*"')
_HIDDEN = "[dolt: kan innehålla personuppgifter]"
_installed = False


def scrub(text: str) -> str:
    """Remove the parts of database messages that repeat stored or submitted values."""
    text = _DETAIL.sub(rf"\1DETAIL: {_HIDDEN}", text)
    return _QUOTED_INPUT.sub(rf'\1"{_HIDDEN}"', text)


def _scrubbed(record: logging.LogRecord) -> logging.LogRecord:
    if record.levelno < logging.WARNING:
        return record
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)).rstrip())
    try:
        message = record.getMessage()
    except Exception:  # a malformed record is the handler's business, not ours
        return record
    cleaned = scrub(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    return record


def install() -> None:
    """Wrap the log record factory once per process (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _scrubbed(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed = True


def init_app(app: Flask) -> None:
    install()
