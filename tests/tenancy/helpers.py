"""Seed, inspect and destroy one municipality of a scratch installation."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

SLUG, SCHEMA = "bengtsfors", "kommun_1460"
CONTACT = "Åsa Kurator"
FILE = b"%PDF-1.4 protokoll fran SSPF\n"


def seed(site) -> dict[str, Any]:
    """A member, an organisation with encrypted contact fields, an audit row, a job and a file."""
    from samverka.db.session import tenant_session
    from samverka.extensions import db
    from samverka.modules.audit.models import AuditEvent
    from samverka.modules.auth import operations as ops
    from samverka.modules.auth.models import MunicipalRole
    from samverka.modules.forums.models import Organisation
    from samverka.modules.forums.vocabulary import Principal
    from samverka.modules.jobs.models import JobRecord
    from samverka.modules.tenancy.queries import tenant_by_slug

    email = f"medlem-{uuid.uuid4().hex[:6]}@example.se"
    with site.app.app_context():
        tenant = tenant_by_slug(SLUG)
        user = ops.create_user(email, "Maja Medlem", "ett-bra-losenord")
        ops.grant_membership(user, tenant, MunicipalRole.member)
        db.session.add(JobRecord(task="test.noop", tenant_id=tenant.id, args=[1]))
        db.session.commit()
        with tenant_session(SCHEMA) as session:
            session.add(
                Organisation(
                    name="Bengtsfors skola",
                    type="school",
                    principal=Principal.kommun,
                    contact_name=CONTACT,
                    contact_email="asa@example.se",
                )
            )
            session.add(
                AuditEvent(
                    action="create",
                    object_type="organisation",
                    object_id=1,
                    summary="skapade organisation",
                    changes={"fields": ["name", "contact_name"]},
                )
            )
            session.commit()
        key = f"{SCHEMA}/forums/{uuid.uuid4().hex}/protokoll.pdf"
        site.app.extensions["samverka.storage"].put(key, FILE, "application/pdf")
    return {"email": email, "password": "ett-bra-losenord", "key": key}


def tenant_rows(site) -> dict[str, list[tuple]]:
    """Every tenant table's rows, decrypted through the models."""
    from samverka.db.base import Base
    from samverka.db.session import tenant_session

    with site.app.app_context(), tenant_session(SCHEMA) as session:
        return {
            t.name: sorted(tuple(r) for r in session.execute(sa.select(t)))
            for t in Base.metadata.sorted_tables
            if t.schema is None
        }


def shared_rows(site) -> dict[str, list[tuple]]:
    """The tenant's memberships and jobs (without the generated ids)."""
    from samverka.extensions import db
    from samverka.modules.auth.models import Membership
    from samverka.modules.jobs.models import JobRecord
    from samverka.modules.tenancy.queries import tenant_by_slug

    with site.app.app_context():
        tenant = tenant_by_slug(SLUG)
        members = db.session.execute(
            sa.select(Membership.user_id, Membership.role).where(Membership.tenant_id == tenant.id)
        )
        jobs = db.session.execute(
            sa.select(JobRecord.id, JobRecord.task).where(JobRecord.tenant_id == tenant.id)
        )
        return {"memberships": sorted(members), "jobs": sorted(jobs)}


def destroy(site) -> None:
    """Lose the municipality's schema, its files and its shared rows (not its registry row)."""
    from samverka.extensions import db
    from samverka.modules.auth.models import Membership
    from samverka.modules.jobs.models import JobRecord
    from samverka.modules.tenancy.queries import tenant_by_slug

    backend = site.app.extensions["samverka.backend"]
    storage = site.app.extensions["samverka.storage"]
    with site.app.app_context():
        tenant_id = tenant_by_slug(SLUG).id
        for model in (Membership, JobRecord):
            db.session.execute(sa.delete(model).where(model.tenant_id == tenant_id))
        db.session.commit()
        for key in storage.keys(f"{SCHEMA}/"):
            storage.delete(key)
    drop_schema(site)
    backend.dispose()


def drop_schema(site) -> None:
    backend = site.app.extensions["samverka.backend"]
    if backend.dialect == "postgresql":
        with backend.engine_for(None).begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{SCHEMA}" CASCADE')
        return
    backend.dispose()
    path = backend.tenant_path(SCHEMA)
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def schema_exists(site) -> bool:
    from samverka.db.migrate import MigrationTarget, schema_exists

    return schema_exists(MigrationTarget.from_settings(site.app.config["SETTINGS"]), SCHEMA)
