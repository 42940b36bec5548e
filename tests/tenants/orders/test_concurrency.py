"""Concurrent checkouts and edits on the real PostgreSQL, each in its own connection and
transaction (these tests commit for real, outside the per-test rollback, and delete their
bakeries afterwards).

- 20 parallel placements with one idempotency key make one order;
- 20 with different keys get 20 distinct, consecutive numbers;
- two concurrent edits of one order: one saves, the other gets the conflict naming the first;
- tabs adding the same new product to one (not yet started) cart at once all count, none fails.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from config.extensions import db
from tenants.orders.errors import OrderConflict
from tenants.scoping import bind_tenant
from tests.support import databases
from tests.support.catalog import tenant_of
from tests.support.factories import make_bakery
from tests.support.orders import contact_row, customer_row, make_cafe, set_days

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday morning
TUESDAY = date(2026, 12, 8)
WORKERS = 20


@pytest.fixture
def committed(base_app, pg_database, redis_conn):
    """Two bakeries committed for real (threads need to see them), removed afterwards. Mail
    jobs go to the real (flushed) test Redis instead of running inline, so each checkout holds
    one connection, as it would in production."""
    from jobs.backends import RQBackend
    from tests.support.queues import TEST_REDIS_URL

    original = base_app.extensions["job_backend"]
    base_app.extensions["job_backend"] = RQBackend(TEST_REDIS_URL)
    suffix = uuid.uuid4().hex[:8]
    bakeries = [make_bakery(base_app, f"conc-{name}-{suffix}") for name in ("north", "south")]
    shops = []
    for bakery in bakeries:
        set_days(base_app, bakery, {1: (1, time(14))})
        shops.append((bakery, make_cafe(base_app, bakery)))
    yield shops
    base_app.extensions["job_backend"] = original
    databases.delete_bakeries(pg_database, [b.id for b in bakeries])


def _in_parallel(count, work):
    """Run work(i) in `count` threads started together; returns (results, errors)."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, [None] * count

    def run(i):
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # collected and asserted on by the test
            errors[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def _place(app, bakery, ids, key):
    from tenants.orders.placement import place_order

    with app.app_context():
        bind_tenant(db.session, bakery.id)
        try:
            placement = place_order(
                db.session,
                tenant_of(db.session, bakery),
                customer=customer_row(db.session, ids["id"]),
                actor=contact_row(db.session, ids["contact"]),
                lines=[(ids["bread"], 10)],
                location_id=ids["locations"]["Main Street"],
                delivery_date=TUESDAY,
                idempotency_key=key,
                allow_second_order=True,
                now=NOW,
            )
            result = (placement.order.id, placement.order.number, placement.created)
            db.session.commit()
            return result
        finally:
            db.session.remove()


def _numbers(app, bakery):
    from tenants.orders.models import Order

    with app.app_context():
        bind_tenant(db.session, bakery.id)
        numbers = db.session.scalars(select(Order.number).order_by(Order.number)).all()
        db.session.remove()
        return numbers


def test_twenty_parallel_checkouts_of_one_form_make_one_order(base_app, committed):
    (north, ids), (south, _) = committed
    results, errors = _in_parallel(WORKERS, lambda i: _place(base_app, north, ids, "one-form"))
    assert errors == [None] * WORKERS
    assert len({order_id for order_id, _, _ in results}) == 1
    assert sum(created for _, _, created in results) == 1
    assert _numbers(base_app, north) == [1]
    assert _numbers(base_app, south) == []


def test_twenty_parallel_checkouts_get_twenty_consecutive_numbers(base_app, committed):
    (north, ids), (south, south_ids) = committed
    _place(base_app, south, south_ids, "south-first")  # the other bakery counts on its own
    results, errors = _in_parallel(WORKERS, lambda i: _place(base_app, north, ids, f"form-{i}"))
    assert errors == [None] * WORKERS
    assert sorted(number for _, number, _ in results) == list(range(1, WORKERS + 1))
    assert _numbers(base_app, north) == list(range(1, WORKERS + 1))
    assert _numbers(base_app, south) == [1]


def test_of_two_concurrent_edits_one_saves_and_the_other_is_told_who_changed_it(
    base_app, committed
):
    from tenants.customers.models import Contact
    from tenants.orders.editing import edit_order
    from tenants.orders.queries import get_order
    from tests.support.factories import add_contact

    (north, ids), _ = committed
    order_id, _, _ = _place(base_app, north, ids, "to-edit")
    second = add_contact(
        base_app,
        north,
        ids["id"],
        email="sam@example.com",
        first_name="Sam",
        grants=("view_orders", "create_orders", "edit_orders"),
    )
    contacts = [ids["contact"], second]
    quantities = [12, 14]

    def edit(i):
        with base_app.app_context():
            bind_tenant(db.session, north.id)
            try:
                order = get_order(db.session, order_id)
                actor = db.session.scalar(select(Contact).where(Contact.id == contacts[i]))
                edit_order(
                    db.session,
                    tenant_of(db.session, north),
                    actor=actor,
                    order=order,
                    expected_version=1,
                    lines=[(ids["bread"], quantities[i])],
                    now=NOW,
                )
                db.session.commit()
                return actor.name
            finally:
                db.session.remove()

    results, errors = _in_parallel(2, edit)
    saved = [name for name in results if name]
    conflicts = [e for e in errors if e is not None]
    assert len(saved) == 1 and len(conflicts) == 1, (results, errors)
    assert isinstance(conflicts[0], OrderConflict)
    assert f"This order was changed by {saved[0]} at" in conflicts[0].message
    with base_app.app_context():
        bind_tenant(db.session, north.id)
        order = get_order(db.session, order_id)
        version, total = order.version, order.subtotal_minor
        db.session.remove()
    assert version == 2
    assert total == 250 * quantities[results.index(saved[0])]


def test_tabs_adding_the_same_new_product_at_once_all_count_and_none_fails(base_app, committed):
    from tenants.orders.cart import cart_lines, find_cart, set_quantity

    (north, ids), (south, south_ids) = committed

    def add_one(i):
        with base_app.app_context():
            bind_tenant(db.session, north.id)
            try:
                set_quantity(
                    db.session,
                    tenant_of(db.session, north),
                    contact=contact_row(db.session, ids["contact"]),
                    customer=customer_row(db.session, ids["id"]),
                    product_id=ids["bread"],
                    quantity=1,
                    now=NOW,
                    add=True,
                )
                db.session.commit()
            finally:
                db.session.remove()

    results, errors = _in_parallel(WORKERS, add_one)
    assert errors == [None] * WORKERS
    with base_app.app_context():
        bind_tenant(db.session, north.id)
        lines = cart_lines(
            db.session, find_cart(db.session, contact_row(db.session, ids["contact"]))
        )
        quantities = [(line.product_id, line.quantity) for line in lines]
        db.session.remove()
        bind_tenant(db.session, south.id)
        south_cart = find_cart(db.session, contact_row(db.session, south_ids["contact"]))
        db.session.remove()
    assert quantities == [(ids["bread"], WORKERS)]
    assert south_cart is None
