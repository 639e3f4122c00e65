"""Two municipalities seeded with rows that share primary keys."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from samverka.modules.audit.models import AuditEvent

SECRETS = {"amal": "Åmål-hemlighet", "bengtsfors": "Bengtsfors-hemlighet"}
SCHEMAS = {"amal": "kommun_1492", "bengtsfors": "kommun_1460"}


@pytest.fixture
def seeded(app):
    """Row id 1 in both municipalities' audit trails, with different text."""
    backend = app.extensions["samverka.backend"]
    for slug, schema in SCHEMAS.items():
        with backend.engine_for(schema).begin() as conn:
            conn.execute(
                sa.insert(AuditEvent).values(
                    id=1,
                    action="create",
                    object_type="forum",
                    object_id=1,
                    summary=SECRETS[slug],
                    changes={},
                    at=sa.func.now(),
                )
            )
    return SECRETS
