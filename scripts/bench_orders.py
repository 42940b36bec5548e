"""Benchmark ordering at a year's size: two bakeries, each with 200 customers, a catalog and a
year of orders (3 a week per customer: about 31,000 orders and 310,000 lines per bakery).

Usage:
    .venv/bin/python scripts/bench_orders.py [--postgres] [--runs 20] [--weeks 52]

SQLite by default (a temporary file, built by the real migrations). With --postgres the script
makes a scratch database (the test suite's helpers: owner role migrates, the application role
connects, so every statement runs under row-level security), and drops it afterwards. Either
way everything is built inside one transaction that is rolled back at the end.

Method. The build uses bulk inserts (executemany of plain rows; no ORM objects). Each bakery
has 300 products on its orders and 200 more in its catalog (a 500-line cart needs 500 products:
a cart holds a product once), a default list (5% off everything) and a negotiated list for the
customers with a fixed price and three volume breaks on half the products. Orders fall on
Monday, Wednesday and Friday of each week, 10 lines each, the past ones delivered. Each measured
operation runs `--runs` times after one warm-up run that is dropped; before each run the
session's identity map is emptied, as a new request's would be. Placing an order runs inside a
savepoint that is rolled back, so every run places into the same data. Times are wall-clock
(time.perf_counter) medians and 95th percentiles; the statement count is one run's, from a
before_cursor_execute listener. The four operations are the services behind the pages:
`place_order` (20 lines), `view_cart` (500 lines, the cart page's one engine pass),
`queries.contact_orders` (the buyer's history, first page), and `desk.staff_orders` (the staff
list filtered to the busiest delivery date, first page of 50).
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from scripts.bench_catalog import seed_priced_catalog  # noqa: E402

CUSTOMERS = 200
ORDERED_PRODUCTS = 300
CATALOG_PRODUCTS = 500
LINES_PER_ORDER = 10
CHUNK = 20_000


def build_app(postgres: bool):
    """(app, dialect, cleanup) on a scratch PostgreSQL database or a migrated SQLite file."""
    from config.root.app import create_app
    from config.settings import Settings

    if postgres:
        from tests.support import databases

        name = databases.database_name("bench_orders")
        databases.ensure_roles()
        databases.recreate_database(name)
        databases.migrate(name)
        url = databases.url(databases.APP_ROLE, name)
        settings = Settings.from_env({"APP_ENV": "test", "SECRET_KEY": "b", "DATABASE_URL": url})
        app = create_app(settings)

        def cleanup():
            from config.extensions import db

            with app.app_context():
                db.engine.dispose()
            databases.drop_database(name)

        return app, "postgresql (application role, row-level security forced)", cleanup
    path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    settings = Settings.from_env(
        {"APP_ENV": "test", "SECRET_KEY": "b", "DATABASE_URL": f"sqlite:///{path}"}
    )
    app = create_app(settings, check_db_role=False)
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    return app, "sqlite (file)", lambda: path.unlink(missing_ok=True)


def _chunks(rows, size=CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def build_bakery(session, slug: str, *, weeks: int, today: date, rng: random.Random) -> dict:
    """One bakery at full size, written with bulk inserts; returns what the runs need."""
    from tenants.customers.models import Contact, Customer, DeliveryLocation
    from tenants.models import Plan
    from tenants.orders.models import Order, OrderCounter, OrderLine
    from tenants.passwords import hash_password
    from tenants.scoping import bind_tenant
    from tenants.signup import sign_up_bakery
    from tenants.text_keys import fold_key

    tenant, _ = sign_up_bakery(
        session,
        name=f"Bench {slug}",
        slug=slug,
        owner_name="Bench Owner",
        email="owner@bench.example",
        password=secrets.token_hex(16),
        timezone="Europe/London",
        currency="EUR",
        locale="en_GB",
    )
    plan = session.scalar(select(Plan).where(Plan.code == "enterprise"))
    tenant.plan_id, tenant.plan, tenant.subscription_status = plan.id, plan, "active"
    tenant.owner_email_verified_at = datetime.now(UTC)  # a real bakery mails its buyers
    session.flush()
    bind_tenant(session, tenant.id)
    tid, now = tenant.id, datetime.now(UTC)

    catalog = seed_priced_catalog(
        session, tid, CATALOG_PRODUCTS, rng, prices=(80, 3000), tax_rate=Decimal("7"), sku_digits=4
    )
    products, negotiated_id = catalog.products, catalog.negotiated_id

    customers = [
        {
            "tenant_id": tid,
            "id": uuid.uuid4(),
            "business_name": f"Customer {i:03d}",
            "name_key": fold_key(f"Customer {i:03d}"),
            "portal_enabled": True,
            "price_list_id": negotiated_id,
        }
        for i in range(CUSTOMERS)
    ]
    session.execute(insert(Customer), customers)
    locations = [
        {
            "tenant_id": tid,
            "id": uuid.uuid4(),
            "customer_id": c["id"],
            "name": "Main",
            "address": "1 Main Street",
        }
        for c in customers
    ]
    session.execute(insert(DeliveryLocation), locations)
    password = hash_password(secrets.token_hex(12))
    contacts = [
        {
            "tenant_id": tid,
            "id": uuid.uuid4(),
            "customer_id": c["id"],
            "first_name": "Buyer",
            "last_name": f"{i:03d}",
            "email": f"buyer{i:03d}@bench.example",
            "status": "active",
            "is_owner": True,
            "access_level": "organization",
            "password_hash": password,
            "can_view_orders": True,
            "can_create_orders": True,
            "can_edit_orders": True,
        }
        for i, c in enumerate(customers)
    ]
    session.execute(insert(Contact), contacts)

    ordered = products[:ORDERED_PRODUCTS]
    monday = today - timedelta(days=today.weekday())
    days = [
        monday - timedelta(weeks=w) + timedelta(days=d)
        for w in range(weeks - 1, -1, -1)
        for d in (0, 2, 4)
    ]
    orders, lines, number = [], [], 0
    busiest = days[-4]  # a past Wednesday or Friday: every customer has an order on it
    for day in days:
        for c, loc, contact in zip(customers, locations, contacts, strict=True):
            number += 1
            order_id = uuid.uuid4()
            picked = rng.sample(ordered, LINES_PER_ORDER)
            subtotal = tax = 0
            for position, p in enumerate(picked):
                quantity = rng.randint(1, 40)
                unit = p["base_price_minor"]
                total = unit * quantity
                line_tax = (total * 7 + 50) // 100
                subtotal, tax = subtotal + total, tax + line_tax
                lines.append(
                    {
                        "tenant_id": tid,
                        "id": uuid.uuid4(),
                        "order_id": order_id,
                        "product_id": p["id"],
                        "position": position,
                        "sku": p["sku"],
                        "product_name": p["name"],
                        "unit": "each",
                        "quantity": quantity,
                        "base_price_minor": unit,
                        "unit_price_minor": unit,
                        "line_total_minor": total,
                        "price_rule": "base",
                        "tax_rate": Decimal("7"),
                        "tax_minor": line_tax,
                    }
                )
            placed = datetime.combine(day - timedelta(days=1), datetime.min.time(), UTC)
            orders.append(
                {
                    "tenant_id": tid,
                    "id": order_id,
                    "number": number,
                    "customer_id": c["id"],
                    "location_id": loc["id"],
                    "placed_by_contact_id": contact["id"],
                    "placed_by_name": "Buyer",
                    "source": "wholesale_portal",
                    "status": "delivered" if day < today else "confirmed",
                    "delivery_date": day,
                    "currency": "EUR",
                    "subtotal_minor": subtotal,
                    "tax_minor": tax,
                    "total_minor": subtotal + tax,
                    "version": 1,
                    "placed_at": placed,
                    "updated_at": placed,
                }
            )
        if len(lines) >= CHUNK:
            session.execute(insert(Order), orders)
            session.execute(insert(OrderLine), lines)
            orders, lines = [], []
    if orders:
        session.execute(insert(Order), orders)
        session.execute(insert(OrderLine), lines)
    session.add(OrderCounter(tenant_id=tid, last_number=number))
    session.flush()
    return {
        "tenant_id": tid,
        "customers": [c["id"] for c in customers],
        "locations": [loc["id"] for loc in locations],
        "contacts": [c["id"] for c in contacts],
        "products": [p["id"] for p in products],
        "orders": number,
        "lines": number * LINES_PER_ORDER,
        "busiest": busiest,
        "created_at": now,
    }


def measure(engine, runs: int, fn, session):
    """(median s, p95 s, statements of one run) of `fn()` over `runs` runs after a warm-up."""
    timings, statements = [], []

    def count(*_args, **_kwargs):
        statements.append(1)

    for run in range(runs + 1):
        session.expunge_all()
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        event.remove(engine, "before_cursor_execute", count)
        if run:
            timings.append(elapsed)
    timings.sort()
    p95 = timings[min(len(timings) - 1, max(0, round(0.95 * len(timings)) - 1))]
    return statistics.median(timings), p95, len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a scratch PostgreSQL database")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=52)
    args = parser.parse_args()

    from config.clock import utcnow
    from config.extensions import db
    from tenants.customers.models import Contact, Customer
    from tenants.models import Tenant
    from tenants.orders import desk, queries
    from tenants.orders.cart import view_cart
    from tenants.orders.models import Cart, CartLine
    from tenants.orders.placement import place_order
    from tenants.scoping import bind_tenant

    app, dialect, cleanup = build_app(args.postgres)
    results = []
    try:
        with app.app_context():
            engine = db.engine
            connection = engine.connect()
            outer = connection.begin()
            # One session per bakery (a session is bound to one tenant), all on the outer
            # transaction: a session's commit only releases its savepoint.
            make_session = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
            session = None
            try:
                rng = random.Random(42)
                today = utcnow().date()
                t0 = time.perf_counter()
                built_bakeries = []
                for slug in ("bench-a", "bench-b"):
                    builder = make_session()
                    built_bakeries.append(
                        build_bakery(builder, slug, weeks=args.weeks, today=today, rng=rng)
                    )
                    builder.commit()
                    builder.close()
                main_bakery, other = built_bakeries
                built = time.perf_counter() - t0
                session = make_session()
                tid = main_bakery["tenant_id"]
                bind_tenant(session, tid)

                def tenant():
                    return session.scalar(select(Tenant).where(Tenant.id == tid))

                customer_id, contact_id = main_bakery["customers"][0], main_bakery["contacts"][0]
                location_id = main_bakery["locations"][0]
                cart_id = uuid.uuid4()
                session.execute(
                    insert(Cart),
                    [
                        {
                            "tenant_id": tid,
                            "id": cart_id,
                            "contact_id": contact_id,
                            "customer_id": customer_id,
                        }
                    ],
                )
                session.execute(
                    insert(CartLine),
                    [
                        {
                            "tenant_id": tid,
                            "id": uuid.uuid4(),
                            "cart_id": cart_id,
                            "product_id": pid,
                            "quantity": rng.randint(1, 120),
                            "position": n,
                        }
                        for n, pid in enumerate(main_bakery["products"])
                    ],
                )
                session.flush()
                order_lines = [(pid, rng.randint(1, 60)) for pid in main_bakery["products"][:20]]
                delivery = today + timedelta(days=14)
                while delivery.weekday() == 6:
                    delivery += timedelta(days=1)

                def customer():
                    return session.scalar(select(Customer).where(Customer.id == customer_id))

                def contact():
                    return session.scalar(select(Contact).where(Contact.id == contact_id))

                def place():
                    savepoint = session.begin_nested()
                    t, c, who = tenant(), customer(), contact()
                    place_order(
                        session,
                        t,
                        customer=c,
                        actor=who,
                        lines=order_lines,
                        location_id=location_id,
                        delivery_date=delivery,
                        allow_second_order=True,
                        now=utcnow(),
                    )
                    savepoint.rollback()

                def price_cart_page():
                    priced = view_cart(
                        session, tenant(), contact=contact(), customer=customer(), now=utcnow()
                    )
                    assert len(priced.priced.lines) == CATALOG_PRODUCTS

                def history():
                    page = queries.contact_orders(session, contact())
                    assert page.total == args.weeks * 3
                    assert len(page.rows) == min(page.total, queries.PER_PAGE)

                busy = desk.OrderFilters(
                    delivery_from=main_bakery["busiest"], delivery_until=main_bakery["busiest"]
                )

                def staff_list():
                    page = desk.staff_orders(session, busy, sort="customer")
                    assert page.total == CUSTOMERS and len(page.rows) == desk.PER_PAGE

                for label, fn in (
                    ("place a 20-line order (place_order)", place),
                    ("price a 500-line cart (view_cart)", price_cart_page),
                    ("buyer's order history, page 1 (contact_orders)", history),
                    ("staff orders list, busiest date, page 1 (staff_orders)", staff_list),
                ):
                    results.append((label, *measure(engine, args.runs, fn, session)))
            finally:
                if session is not None:
                    session.close()
                outer.rollback()
                connection.close()
    finally:
        cleanup()

    print(f"database: {dialect}")
    for name, bakery in (("measured bakery", main_bakery), ("second bakery", other)):
        print(
            f"{name}: {CUSTOMERS} customers, {CATALOG_PRODUCTS} products "
            f"({ORDERED_PRODUCTS} on orders), {bakery['orders']} orders, {bakery['lines']} lines"
        )
    print(f"built in {built:.1f} s (bulk inserts, one transaction, rolled back at the end)")
    print(f"{'operation':58} {'median':>9} {'p95':>9} {'SQL':>5}")
    for label, median, p95, statements in results:
        print(f"{label:58} {median * 1000:7.1f}ms {p95 * 1000:7.1f}ms {statements:5d}")


if __name__ == "__main__":
    main()
