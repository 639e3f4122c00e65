"""Done-once keys: side effects that must not repeat when a job runs a second time.

A key is a stable name of one effect, e.g. ``outbox:<schema>:<message id>`` or
``periodic:<task>:<slot>``. The primary key on ``shared.done_once`` makes the second claim fail,
also across processes and machines.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from samverka.db.base import utcnow
from samverka.db.session import backend
from samverka.modules.jobs.models import DoneOnce


def claim_in(session: Session, key: str) -> bool:
    """Claim ``key`` inside ``session``'s transaction; False if it is already claimed.

    Use when the effect is written in the same transaction: a rollback releases the claim.
    """
    try:
        with session.begin_nested():
            session.add(DoneOnce(key=key))
    except IntegrityError:
        return False
    return True


def claim_now(key: str) -> bool:
    """Claim ``key`` in its own committed transaction; False if it is already claimed.

    Use before an effect outside the database (an e-mail): once claimed, a crash before the
    effect loses it rather than repeating it.
    """
    with Session(bind=backend().engine_for(None)) as session:
        session.add(DoneOnce(key=key))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
    return True


def is_done(session: Session, key: str) -> bool:
    return session.scalar(sa.select(sa.func.count()).where(DoneOnce.key == key)) > 0


#: How long keys are kept, by prefix; declared by the module that claims them.
_RETENTION: dict[str, timedelta] = {}


def keep_for(prefix: str, period: timedelta) -> None:
    """Keep ``prefix`` keys for ``period``: long enough that no retry can still repeat them."""
    _RETENTION[prefix] = period


def prune_all() -> int:
    """Forget every key past its prefix's retention (the scheduler does this each tick)."""
    return sum(prune(prefix, period) for prefix, period in _RETENTION.items())


def prune(prefix: str, older_than: timedelta) -> int:
    """Forget ``prefix`` keys older than ``older_than`` (their effect can no longer repeat)."""
    with Session(bind=backend().engine_for(None)) as session:
        result = session.execute(
            sa.delete(DoneOnce).where(
                DoneOnce.key.startswith(prefix, autoescape=True),
                DoneOnce.done_at < utcnow() - older_than,
            )
        )
        session.commit()
        return result.rowcount
