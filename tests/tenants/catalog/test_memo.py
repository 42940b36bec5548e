"""The priced catalog is remembered per bakery until its catalog changes, and never longer.

The database restamps a bakery on every write to what a catalog shows
(migrations/catalog_stamp.py); these tests write every such table the plainest way (SQL) and
through the services, and check that the next read sees the change, that the other bakery is
untouched, and that a transaction's own writes are never served from or kept in the memo.

On PostgreSQL the stamp moves at COMMIT, so these tests commit for real (outside the per-test
rollback, whose savepoints never commit) on their own two bakeries, deleted afterwards.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select, text

from config.extensions import db
from migrations.catalog_stamp import CATALOG_TABLES
from tenants.catalog.memo import catalog_key
from tenants.catalog.models import Product
from tenants.catalog.price_lists import BreakInput
from tenants.catalog.products import get_product
from tenants.catalog.quotes import customer_catalog, price_cart, priced_catalog
from tenants.customers.models import Customer
from tenants.errors import ValidationFailed
from tenants.models import Tenant
from tests.support import databases
from tests.support.catalog import (
    add_assortment,
    add_category,
    add_price_list,
    add_product,
    set_list_price,
    tenant_of,
)
from tests.support.factories import make_bakery, make_customer, tenant_session
from tests.support.queries import count_queries

DAY = date(2026, 6, 1)


@pytest.fixture
def stocked(base_app, pg_database):
    """Two bakeries committed for real, each with a category, a product on a list with a break
    (the bakery default), an assortment holding it, and a café on the list."""
    app = base_app
    suffix = uuid.uuid4().hex[:8]
    two_bakeries = [make_bakery(app, f"memo-{name}-{suffix}") for name in ("north", "south")]
    data = {}
    for bakery in two_bakeries:
        category = add_category(app, bakery, "Breads")
        bread = add_product(app, bakery, sku="BAG-01", price=300, category_id=category)
        cafes = add_price_list(
            app, bakery, "Cafés", entries=[(bread, 250, None, [BreakInput(12, 220)])], default=True
        )
        add_assortment(app, bakery, product_ids=[bread])
        cafe = make_customer(app, bakery, "Café Aurora", price_list_id=cafes)["id"]
        data[bakery.slug] = {"bread": bread, "list": cafes, "cafe": cafe}
    yield *two_bakeries, data
    databases.delete_bakeries(pg_database, [b.id for b in two_bakeries])


def _stamp(app, bakery) -> str:
    with app.app_context():
        return db.session.scalar(select(Tenant.catalog_stamp).where(Tenant.id == bakery.id))


def _prices(app, bakery, customer_id, on=DAY) -> list[int]:
    with tenant_session(app, bakery.id) as session:
        customer = session.get(Customer, (bakery.id, customer_id))
        lines = customer_catalog(session, tenant_of(session, bakery), customer=customer, on=on)
        return [line.quote.unit_price_minor for line in lines]


@pytest.mark.parametrize("table", CATALOG_TABLES)
def test_a_write_to_any_catalog_table_restamps_that_bakery_only(base_app, stocked, table):
    app = base_app
    north, south, _ = stocked
    before = (_stamp(app, north), _stamp(app, south))
    with tenant_session(app, north.id) as session:
        # A write no service sends (psql, a data migration): the trigger still sees it.
        changed = session.execute(
            text(f'UPDATE "{table}" SET tenant_id = tenant_id WHERE tenant_id = :t'),
            {"t": north.id},
        ).rowcount
    assert changed >= 1
    assert _stamp(app, north) != before[0]
    assert _stamp(app, south) == before[1]


def test_inserts_and_deletes_restamp_too(base_app, stocked):
    app = base_app
    north, _, _ = stocked
    first = _stamp(app, north)
    roll = add_product(app, north, sku="ROL-01", name="Roll", price=80)
    second = _stamp(app, north)
    assert second != first
    with tenant_session(app, north.id) as session:
        session.delete(get_product(session, roll))
    assert _stamp(app, north) not in (first, second)


def test_a_price_change_shows_on_the_next_read_after_the_memo_is_warm(base_app, stocked):
    app = base_app
    north, south, data = stocked
    cafe = data[north.slug]["cafe"]
    assert _prices(app, north, cafe) == [250]
    # Warm: the second read is one query (the stamp), nothing priced again.
    with tenant_session(app, north.id) as session:
        customer = session.get(Customer, (north.id, cafe))
        tenant = tenant_of(session, north)
        with count_queries(db.engine) as counter:
            customer_catalog(session, tenant, customer=customer, on=DAY)
    assert len(counter.statements) == 1
    with tenant_session(app, north.id) as session:
        set_list_price(session, north, data[north.slug]["list"], data[north.slug]["bread"], 240)
    assert _prices(app, north, cafe) == [240]
    assert _prices(app, south, data[south.slug]["cafe"]) == [250]


def test_the_writing_transaction_reads_its_own_change_and_a_rollback_leaves_nothing_behind(
    base_app, stocked
):
    app = base_app
    north, _, data = stocked
    cafe = data[north.slug]["cafe"]
    assert _prices(app, north, cafe) == [250]  # warm
    with app.app_context():
        from tenants.scoping import bind_tenant

        session = db.session
        bind_tenant(session, north.id)
        tenant = tenant_of(session, north)
        customer = session.get(Customer, (north.id, cafe))
        session.get(Product, (north.id, data[north.slug]["bread"]))
        session.execute(
            text("UPDATE price_list_entries SET unit_price_minor = 199 WHERE tenant_id = :t"),
            {"t": north.id},
        )
        # Not from the memo (it holds 250), and not kept: this change is not committed.
        assert catalog_key(session, tenant, customer=customer, on=DAY) is None
        mine = priced_catalog(session, tenant, customer=customer, on=DAY)
        assert mine.key is None and [line.quote.unit_price_minor for line in mine.lines] == [199]
        session.rollback()
    assert _prices(app, north, cafe) == [250]


def test_customers_on_different_lists_and_days_get_their_own_catalogs(base_app, stocked):
    app = base_app
    north, _, data = stocked
    bread = data[north.slug]["bread"]
    special = add_price_list(app, north, "Special", entries=[(bread, 199, None, [])])
    deli = make_customer(app, north, "Corner Deli", price_list_id=special)["id"]
    assert _prices(app, north, data[north.slug]["cafe"]) == [250]
    assert _prices(app, north, deli) == [199]
    # A product whose season starts tomorrow shows tomorrow, not today, memo or not.
    add_product(
        app, north, sku="STO-01", name="Stollen", price=900, available_from=date(2026, 6, 2)
    )
    assert len(_prices(app, north, deli)) == 1
    assert len(_prices(app, north, deli, on=date(2026, 6, 2))) == 2


def test_every_catalog_table_carries_both_triggers(app):
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname LIKE '%_catalog_%'"
            )
        ).all()
    assert {(table, f"{table}_catalog_dirty") for table in CATALOG_TABLES} | {
        (table, f"{table}_catalog_restamp") for table in CATALOG_TABLES
    } == set(rows)


def _cart(app, bakery, customer_id, lines, on=DAY):
    with tenant_session(app, bakery.id) as session:
        customer = session.get(Customer, (bakery.id, customer_id))
        tenant = tenant_of(session, bakery)
        with count_queries(db.engine) as counter:
            quotes = price_cart(session, tenant, customer=customer, lines=lines, on=on)
        return [q.unit_price_minor for q in quotes], len(counter.statements)


def test_carts_are_priced_from_a_kept_book_that_grows_and_follows_every_change(base_app, stocked):
    app = base_app
    north, south, data = stocked
    cafe, bread = data[north.slug]["cafe"], data[north.slug]["bread"]
    roll = add_product(app, north, sku="ROL-01", name="Roll", price=80)
    assert _cart(app, north, cafe, [(bread, 1), (bread, 12)])[0] == [250, 220]
    # Kept: one query (the stamp) for the same products, three for one it has not seen.
    assert _cart(app, north, cafe, [(bread, 3)]) == ([250], 1)
    assert _cart(app, north, cafe, [(bread, 1), (roll, 2)]) == ([250, 80], 3)
    assert _cart(app, north, cafe, [(roll, 1)]) == ([80], 1)
    # Another bakery's product is not available, whatever this bakery's book holds.
    with pytest.raises(ValidationFailed):
        _cart(app, north, cafe, [(data[south.slug]["bread"], 1)])
    # A change counts on the very next cart: a new price, a product switched off.
    with tenant_session(app, north.id) as session:
        set_list_price(session, north, data[north.slug]["list"], bread, 240)
        get_product(session, roll).active = False
    assert _cart(app, north, cafe, [(bread, 1)])[0] == [240]
    with pytest.raises(ValidationFailed):
        _cart(app, north, cafe, [(roll, 1)])
    assert _cart(app, south, data[south.slug]["cafe"], [(data[south.slug]["bread"], 1)])[0] == [250]
