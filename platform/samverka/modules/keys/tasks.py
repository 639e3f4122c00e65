"""The re-encryption job that follows a key rotation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from samverka.db import crypto
from samverka.extensions import db
from samverka.modules.jobs.registry import task


@task("keys.reencrypt", label=_l("Kryptera om med de nya nycklarna"))
def reencrypt_tenant(ctx: object) -> None:
    """Re-encrypt the bound municipality's rows under its newest keys, then retire the old ones."""
    from samverka.modules.keys.operations import retire_old
    from samverka.modules.keys.reencrypt import reencrypt

    keys = crypto.tenant_keys()

    def report(done: int, total: int) -> None:
        ctx.progress(100 * done // max(total, 1), f"{done} av {total} rader")  # type: ignore[attr-defined]

    reencrypt(db.session, keys, on_batch=report)
    current = {purpose: keys.current(purpose)[0] for purpose in (crypto.DATA, crypto.LOOKUP)}
    retire_old(db.session, keys.tenant_id, current)
