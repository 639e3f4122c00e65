"""The ledger of published cells, in the shared schema: later releases are audited against it."""

from __future__ import annotations

from samverka.modules.region.disclosure import Table, audit

ROWS = ["Åmål", "Bengtsfors", "Dals-Ed"]
COLS = ["universell", "selektiv", "indikerad"]
CELLS = [[3, 12, 2], [6, 10, 1], [0, 10, 5]]


def test_second_release_of_a_period_is_audited_against_the_first(app):
    from samverka.extensions import db
    from samverka.modules.region.disclosure.ledger import prior_equations, publish

    first = Table.from_lists("cases.level", "2026-H1", ROWS[:2], COLS, CELLS[:2])
    second = Table.from_lists("cases.level", "2026-H1", ROWS, COLS, CELLS)
    with app.app_context():
        released = publish(db.session, first)
        db.session.commit()
        earlier = prior_equations(db.session, "cases.level", "2026-H1")
        assert set(earlier) == set(released.equations())
        assert all(eq.value is not None for eq in earlier)
        protected = publish(db.session, second)
        db.session.commit()
        assert audit(second, set(protected.suppressed), earlier) == []


def test_ledger_stores_only_published_values(app):
    import sqlalchemy as sa

    from samverka.extensions import db
    from samverka.modules.region.disclosure.ledger import publish
    from samverka.modules.region.models import PublishedCell

    table = Table.from_lists("cases.level", "2026-H1", ROWS, COLS, CELLS)
    with app.app_context():
        release = publish(db.session, table)
        db.session.commit()
        stored = db.session.scalars(sa.select(PublishedCell)).all()
        assert len(stored) == len(release.equations())
        assert len(stored) == sum(1 for v in release.values.values() if v is not None)
        # Publishing the same release again adds nothing.
        publish(db.session, table)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PublishedCell)) == len(
            stored
        )


def test_other_periods_do_not_enter_the_audit(app):
    from samverka.extensions import db
    from samverka.modules.region.disclosure.ledger import prior_equations, publish

    with app.app_context():
        publish(db.session, Table.from_lists("cases.level", "2026-H1", ROWS, COLS, CELLS))
        db.session.commit()
        assert prior_equations(db.session, "cases.level", "2026-H2") == []
        assert prior_equations(db.session, "cases.other", "2026-H1") == []
