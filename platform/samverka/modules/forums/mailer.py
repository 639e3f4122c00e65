"""Send outbox messages over SMTP when a relay is configured; record failures, never raise them."""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from samverka.config import Settings
from samverka.db.base import utcnow
from samverka.modules.forums.models import OutboxMessage
from samverka.modules.jobs.once import claim_now, keep_for

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 30
#: Unsent messages without a recorded error are retried by later runs for this long.
RETRY_WINDOW = timedelta(days=2)
#: Noted on a message whose send was already claimed by an earlier run that did not finish.
ALREADY_SENT = "AlreadySent"
#: Past the retry window no run picks a message up again, so its key may go after a margin.
keep_for("outbox:", RETRY_WINDOW * 15)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def one_line(text: str) -> str:
    """Control characters (CR, LF …) as single spaces: a header value must stay one line."""
    return " ".join(_CONTROL.sub(" ", text).split())


def smtp_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def delivery_state(message: OutboxMessage, smtp: bool, now: datetime | None = None) -> str:
    """What became of a message: ``sent``, ``failed``, ``queued`` or ``not_sent``.

    ``not_sent`` is a message no run will send: there is no mail server, or it was written
    before one was set up and is now past the retry window.
    """
    if message.sent_at is not None:
        return "sent"
    if message.error:
        return "failed"
    if smtp and message.created_at >= (now or utcnow()) - RETRY_WINDOW:
        return "queued"
    return "not_sent"


def _describe(exc: Exception) -> str:
    """An error note without the server's text, which may echo the recipient's address."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' ({code})' if code else ''}"[:500]


def _connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_port == 465:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
        client.ehlo()
        if client.has_extn("starttls"):
            client.starttls()
            client.ehlo()
    if settings.smtp_user:
        client.login(settings.smtp_user, settings.smtp_password or "")
    return client


def _email(settings: Settings, message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.smtp_from
    email["To"] = message.to_address
    email["Subject"] = one_line(message.subject)
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    return email


def pending_ids(session: Session) -> list[int]:
    """Recent unsent messages nobody has tried yet (e.g. a run that stopped half-way)."""
    return list(
        session.scalars(
            sa.select(OutboxMessage.id).where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.error.is_(None),
                OutboxMessage.created_at >= utcnow() - RETRY_WINDOW,
            )
        )
    )


def deliver(
    session: Session, message_ids: list[int], settings: Settings, once_prefix: str | None = None
) -> int:
    """Send these unsent messages; set ``sent_at`` or ``error`` on each. Returns how many went.

    One message that cannot be built or sent never stops the others. With ``once_prefix``
    each message claims a done-once key before it goes: a run repeated after a crash between
    sending and committing ``sent_at`` does not mail it a second time.
    """
    if not smtp_configured(settings) or not message_ids:
        return 0
    messages = session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids), OutboxMessage.sent_at.is_(None))
        .order_by(OutboxMessage.id)
        # A parallel run skips the rows this one is sending, so nothing goes out twice.
        .with_for_update(skip_locked=True)
    ).all()
    if not messages:
        return 0
    try:
        client = _connect(settings)
    except (OSError, smtplib.SMTPException) as exc:
        note = _describe(exc)
        log.warning("smtp connection failed: %s", note)
        for message in messages:
            message.error = note
        return 0
    sent = 0
    try:
        for message in messages:
            if once_prefix is not None and not claim_now(f"{once_prefix}:{message.id}"):
                message.error = ALREADY_SENT
                log.warning("outbox message %s skipped: already mailed once", message.id)
                continue
            try:
                client.send_message(_email(settings, message))
            except Exception as exc:  # any failure is this message's alone; noted, not raised
                message.error = _describe(exc)
                log.warning("outbox message %s not sent: %s", message.id, message.error)
            else:
                message.sent_at = utcnow()
                message.error = None
                sent += 1
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            client.quit()
    return sent
