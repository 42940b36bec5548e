"""The standing-order generator run by several workers at once on the real PostgreSQL, each in
its own connection and committed transaction: one order per occurrence, in each bakery.
(Committed for real, outside the per-test rollback; the bakeries are deleted afterwards.)"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from config.extensions import db
from tenants.scoping import bind_tenant
from tests.support.catalog import tenant_of
from tests.support.standing import make_standing
from tests.tenants.orders.test_concurrency import (  # noqa: F401 - the fixture is used by name
    NOW,
    TUESDAY,
    _in_parallel,
    committed,
)

AT_CUTOFF = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # Monday 14:00 London: Tuesday's cut-off
WORKERS = 8


def _generate(app, bakery):
    from tenants.orders.standing_generate import generate_due

    with app.app_context():
        bind_tenant(db.session, bakery.id)
        try:
            result = generate_due(db.session, tenant_of(db.session, bakery), now=AT_CUTOFF)
            placed = len(result.placed)
            db.session.commit()
            return placed
        finally:
            db.session.remove()


def _count(app, bakery, model, *where):
    with app.app_context():
        bind_tenant(db.session, bakery.id)
        try:
            return db.session.scalar(select(func.count()).select_from(model).where(*where))
        finally:
            db.session.remove()


def test_workers_generating_at_once_place_one_order_per_occurrence(base_app, committed):  # noqa: F811
    from tenants.orders.models import Order
    from tenants.orders.standing_models import StandingOccurrence

    (north, ids), (south, south_ids) = committed
    make_standing(base_app, north, ids, starts_on=TUESDAY, now=NOW, lines=[(ids["bread"], 10)])
    make_standing(
        base_app,
        north,
        ids,
        starts_on=TUESDAY,
        now=NOW,
        lines=[(ids["bread"], 3)],
        location="Harbour",
    )
    make_standing(
        base_app, south, south_ids, starts_on=TUESDAY, now=NOW, lines=[(south_ids["bread"], 5)]
    )

    results, errors = _in_parallel(
        WORKERS, lambda i: _generate(base_app, north if i % 4 else south)
    )
    assert errors == [None] * WORKERS
    assert sum(r for i, r in enumerate(results) if i % 4) == 2  # north: two occurrences, once
    assert sum(r for i, r in enumerate(results) if not i % 4) == 1
    standing = Order.source == "standing_order"
    assert _count(base_app, north, Order, standing) == 2
    assert _count(base_app, south, Order, standing) == 1
    assert (
        _count(base_app, north, StandingOccurrence, StandingOccurrence.status == "generated") == 2
    )
    # Running it again later changes nothing.
    assert _generate(base_app, north) == 0
    assert _count(base_app, north, Order) == 2
