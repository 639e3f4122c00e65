"""Account e-mail (invites, password resets): written to shared ``account_mail``, sent by a job.

Accounts are not one municipality's, so their mail does not go through a tenant outbox; the
SMTP connection and error notes are the forum mailer's, so both paths behave alike. The job
carries only the message id.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.auth.models_links import AccountMail
from samverka.modules.forums.mailer import _connect, _describe, one_line, smtp_configured
from samverka.modules.jobs.registry import task

log = logging.getLogger(__name__)


def queue(kind: str, to_address: str, subject: str, body: str) -> AccountMail:
    """Write the message and send it by a job once the request commits."""
    from samverka.modules.jobs.enqueue import enqueue_platform

    message = AccountMail(kind=kind, to_address=to_address, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    enqueue_platform(send_account_mail, message.id)
    return message


def _email(sender: str, message: AccountMail) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = one_line(message.to_address)
    email["Subject"] = one_line(message.subject)
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    return email


@task("auth.send_account_mail", tenant_scoped=False, label=_l("Skicka e-post om kontot"))
def send_account_mail(ctx: object, message_id: int) -> None:
    """Send one account message over SMTP when a relay is configured; note a failure on the row."""
    settings = current_app.config["SETTINGS"]
    message = db.session.scalar(
        sa.select(AccountMail).where(AccountMail.id == message_id, AccountMail.sent_at.is_(None))
    )
    if message is None or not smtp_configured(settings):
        return
    try:
        client = _connect(settings)
        try:
            client.send_message(_email(settings.smtp_from, message))
        finally:
            client.quit()
    except (OSError, smtplib.SMTPException) as exc:
        message.error = _describe(exc)
        log.warning("account mail %s not sent: %s", message.id, message.error)
        return
    message.sent_at = utcnow()
    message.error = None
