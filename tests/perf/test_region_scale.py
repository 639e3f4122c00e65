"""The region's forum-activity page for 290 municipalities: small, and a fixed number of queries.

Aggregates are seeded straight into shared for synthetic municipalities (no tenant schemas);
the synthetic tenants are removed again, as shared.tenants survives the per-test cleanup.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from samverka.clock import local_today
from tests.fixtures.statements import count_statements

REGION = "vastra-gotalandsregionen"
PAGE = f"/r/{REGION}/forumaktivitet"
LEVELS = ("strategic", "operational", "consultation")
ORG_TYPES = ("school", "ifo", "police", "health", "leisure", "other")


@pytest.fixture
def municipalities(app):
    """``municipalities(n)`` adds n synthetic municipalities with 8 stored quarters each."""
    from samverka.extensions import db
    from samverka.modules.region.aggregate import last_quarters
    from samverka.modules.region.models import AttendanceRate, ForumActivity
    from samverka.modules.tenancy.models import Tenant, TenantKind
    from samverka.modules.tenancy.queries import tenant_by_slug

    made: list[int] = []

    def add(n: int) -> None:
        quarters = last_quarters(local_today(), 8)
        with app.app_context():
            region = tenant_by_slug(REGION)
            start = len(made)
            tenants = [
                Tenant(
                    slug=f"syntet-{i}",
                    name=f"Syntetisk kommun {i:03d}",
                    kind=TenantKind.municipality,
                    code=f"9{i:03d}",
                    region_id=region.id,
                )
                for i in range(start, start + n)
            ]
            db.session.add_all(tenants)
            db.session.flush()
            made.extend(t.id for t in tenants)
            for tenant in tenants:
                for q in quarters:
                    for level in LEVELS:
                        db.session.add(
                            ForumActivity(
                                tenant_id=tenant.id,
                                quarter=q,
                                forum_type=f"typ_{level}",
                                level=level,
                                forums=2,
                                meetings_planned=3,
                                meetings_held=2,
                            )
                        )
                for q in quarters[-4:]:
                    for org_type in ORG_TYPES:
                        db.session.add(
                            AttendanceRate(
                                tenant_id=tenant.id,
                                quarter=q,
                                organisation_type=org_type,
                                expected=12,
                                attended=9,
                            )
                        )
            db.session.commit()

    yield add
    with app.app_context():
        db.session.execute(sa.delete(ForumActivity).where(ForumActivity.tenant_id.in_(made)))
        db.session.execute(sa.delete(AttendanceRate).where(AttendanceRate.tenant_id.in_(made)))
        db.session.execute(sa.delete(Tenant).where(Tenant.id.in_(made)))
        db.session.commit()


def test_forum_activity_for_290_municipalities_is_small_and_needs_no_more_queries_than_for_5(
    create_user, login, municipalities
):
    client = login(create_user(regions={REGION: "analyst"}))
    municipalities(5)
    with count_statements() as few:
        small = client.get(PAGE)
    municipalities(285)
    with count_statements() as many:
        large = client.get(PAGE)
    assert small.status_code == large.status_code == 200
    html = large.get_data(as_text=True)
    assert "Syntetisk kommun 289" in html and "Syntetisk kommun 000" in html
    assert "Regionen totalt" in html.split("Forum per kommun")[0]  # the summary comes first
    assert len(large.data) < 150_000, f"{len(large.data)} bytes"  # 290 kB before
    assert many.count == few.count
