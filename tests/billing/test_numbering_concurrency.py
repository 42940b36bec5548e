"""100 invoices issued at once on the real PostgreSQL, each in its own thread, connection and
committed transaction: the numbers are 1..100 with no gap and no duplicate, and the other
bakery's series is untouched (these tests commit for real and delete their bakeries after)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from config.extensions import db
from tenants.scoping import bind_tenant
from tests.billing.conftest import make_shop
from tests.support import databases
from tests.support.catalog import tenant_of
from tests.support.factories import make_bakery
from tests.support.invoices import delivered_order
from tests.support.orders import customer_row

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PARALLEL = 100


@pytest.fixture
def committed(base_app, pg_database, redis_conn):
    """Two committed bakeries with a café each; mail jobs go to the test Redis, not inline."""
    from jobs.backends import RQBackend
    from tests.support.queues import TEST_REDIS_URL

    original = base_app.extensions["job_backend"]
    base_app.extensions["job_backend"] = RQBackend(TEST_REDIS_URL)
    suffix = uuid.uuid4().hex[:8]
    bakeries = [make_bakery(base_app, f"inv-{name}-{suffix}") for name in ("north", "south")]
    shops = [make_shop(base_app, bakery) for bakery in bakeries]
    yield shops
    base_app.extensions["job_backend"] = original
    databases.delete_bakeries(pg_database, [b.id for b in bakeries])


def _issue(app, shop, order_id):
    from billing.invoicing import issue_invoice
    from tenants.orders.models import Order

    with app.app_context():
        bind_tenant(db.session, shop.bakery.id)
        try:
            invoice = issue_invoice(
                db.session,
                tenant_of(db.session, shop.bakery),
                customer=customer_row(db.session, shop.customer["id"]),
                orders=[db.session.scalar(select(Order).where(Order.id == order_id))],
                mode="on_demand",
                now=NOW,
            )
            result = (invoice.number, invoice.sequence)
            db.session.commit()
            return result
        finally:
            db.session.remove()


def test_a_hundred_parallel_invoices_get_consecutive_numbers(base_app, committed):
    north, south = committed
    orders = [
        delivered_order(
            base_app,
            north.bakery,
            customer_id=north.customer["id"],
            location_id=north.main,
            day=date(2026, 12, 1),
            lines=[(north.bread, 1, None)],
        )
        for _ in range(PARALLEL)
    ]
    south_order = delivered_order(
        base_app,
        south.bakery,
        customer_id=south.customer["id"],
        location_id=south.main,
        day=date(2026, 12, 1),
        lines=[(south.bread, 1, None)],
    )
    assert _issue(base_app, south, south_order) == ("INV-2026-0001", 1)

    barrier = threading.Barrier(PARALLEL)
    results, errors = [None] * PARALLEL, [None] * PARALLEL

    def run(i):
        barrier.wait()
        try:
            results[i] = _issue(base_app, north, orders[i])
        except Exception as exc:  # collected and asserted on below
            errors[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == [None] * PARALLEL
    assert sorted(seq for _, seq in results) == list(range(1, PARALLEL + 1))
    assert len({number for number, _ in results}) == PARALLEL
    assert sorted(number for number, _ in results)[-1] == f"INV-2026-{PARALLEL:04d}"

    from billing.models import Invoice

    with base_app.app_context():
        bind_tenant(db.session, north.bakery.id)
        stored = db.session.scalars(select(Invoice.sequence).order_by(Invoice.sequence)).all()
        db.session.remove()
    assert stored == list(range(1, PARALLEL + 1))
