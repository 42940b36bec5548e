"""Benchmark the bakery's day: the production sheet and packing slips for a date with 2,000
orders, as a page (through the app's test client, signed in as the owner, every statement under
the app's tenancy rules) and as PDF; then the optional parts other work adds, when present:
`scripts/bench_day_standing.py` (the standing-order generator) and
`scripts/bench_day_reminders.py` (the reminder fan-out), each exposing `run(postgres) -> dict`.

Usage:
    .venv/bin/python scripts/bench_bakery_day.py [--postgres] [--runs 10] [--pdf-runs 3]
        [--orders 2000] [--skip-optional]

SQLite by default (a temporary file, built by the real migrations); with --postgres a scratch
database made and dropped by the test suite's helpers (the owner role migrates, the application
role connects, row-level security forced). Everything is built inside one transaction that is
rolled back at the end (scripts/bench_orders.py's method, whose `build_app` and `measure` this
reuses; the catalog comes from scripts/bench_catalog.py).

Data. Two bakeries of the same size. Each has `--orders` customers with one delivery location
each (all on the van route), 120 products in 6 categories, and `--orders` confirmed orders of 8
lines on the measured date, plus as many on the day before and the day after (orders the sheet
must leave out); 1 in 20 of the date's orders is cancelled, 1 in 25 waits for review. The sheet
was printed once, and 100 orders changed since, so the page does its "changed since" work.

Method. Each operation runs `--runs` times (the PDFs `--pdf-runs`) after one dropped warm-up;
wall-clock medians and 95th percentiles (time.perf_counter); statements of one run counted by a
before_cursor_execute listener. The page runs are whole requests: routing, sign-in session
check, the services, the template.
"""

from __future__ import annotations

import argparse
import importlib
import random
import secrets
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.orm import scoped_session, sessionmaker  # noqa: E402

from scripts.bench_catalog import seed_priced_catalog  # noqa: E402
from scripts.bench_orders import build_app, measure  # noqa: E402

PRODUCTS = 120
CATEGORIES = 6
LINES_PER_ORDER = 8
CHANGED_SINCE_PRINT = 100
PASSWORD = secrets.token_hex(12)
OPTIONAL_PARTS = ("bench_day_standing", "bench_day_reminders")


def build_bakery(session, slug: str, *, orders: int, day: date, rng: random.Random) -> dict:
    """One bakery with its customers, catalog, route and three days of orders (bulk inserts)."""
    from tenants.catalog.models import Category, Product
    from tenants.customers.models import Customer, DeliveryLocation
    from tenants.models import Plan
    from tenants.orders.models import Order, OrderCounter, OrderLine
    from tenants.production.models import ProductionPrint, RoutePosition
    from tenants.scoping import bind_tenant
    from tenants.signup import sign_up_bakery
    from tenants.text_keys import fold_key

    tenant, _ = sign_up_bakery(
        session,
        name=f"Bench {slug}",
        slug=slug,
        owner_name="Bench Owner",
        email="owner@bench.example",
        password=PASSWORD,
        timezone="Europe/London",
        currency="EUR",
        locale="en_GB",
        email_verified=True,
    )
    plan = session.scalar(select(Plan).where(Plan.code == "enterprise"))
    tenant.plan_id, tenant.plan, tenant.subscription_status = plan.id, plan, "active"
    session.flush()
    bind_tenant(session, tenant.id)
    tid, now = tenant.id, datetime.now(UTC)

    categories = [
        {"tenant_id": tid, "id": uuid.uuid4(), "name": f"Category {i}", "position": i}
        for i in range(CATEGORIES)
    ]
    session.execute(insert(Category), categories)
    catalog = seed_priced_catalog(session, tid, PRODUCTS, rng, prices=(80, 3000), sku_digits=4)
    for i, product in enumerate(catalog.products):
        session.execute(
            Product.__table__.update()
            .where(Product.__table__.c.tenant_id == tid, Product.__table__.c.id == product["id"])
            .values(category_id=categories[i % CATEGORIES]["id"])
        )
    customers = [
        {
            "tenant_id": tid,
            "id": uuid.uuid4(),
            "business_name": f"Customer {i:04d} & Łódź",
            "name_key": fold_key(f"Customer {i:04d} & Łódź"),
        }
        for i in range(orders)
    ]
    session.execute(insert(Customer), customers)
    locations = [
        {
            "tenant_id": tid,
            "id": uuid.uuid4(),
            "customer_id": c["id"],
            "name": "Main",
            "address": "1 Main Street",
            "delivery_instructions": "Back door, ring twice",
        }
        for c in customers
    ]
    session.execute(insert(DeliveryLocation), locations)
    session.execute(
        insert(RoutePosition),
        [
            {
                "tenant_id": tid,
                "id": uuid.uuid4(),
                "location_id": loc["id"],
                "position": n,
                "updated_at": now,
            }
            for n, loc in enumerate(locations, start=1)
        ],
    )
    printed_at = now - timedelta(hours=2)
    session.execute(
        insert(ProductionPrint),
        [
            {
                "tenant_id": tid,
                "id": uuid.uuid4(),
                "delivery_date": day,
                "kind": "sheet",
                "printed_at": printed_at,
                "printed_by_name": "Bench Owner",
            }
        ],
    )
    number = 0
    for offset in (-1, 0, 1):
        rows, lines = [], []
        for i, (c, loc) in enumerate(zip(customers, locations, strict=True)):
            number += 1
            order_id = uuid.uuid4()
            status = "confirmed"
            if i % 20 == 0:
                status = "cancelled"
            elif i % 25 == 0:
                status = "pending_review"
            total = 0
            for position, p in enumerate(rng.sample(catalog.products, LINES_PER_ORDER)):
                quantity = rng.randint(1, 40)
                line_total = p["base_price_minor"] * quantity
                total += line_total
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
                        "base_price_minor": p["base_price_minor"],
                        "unit_price_minor": p["base_price_minor"],
                        "line_total_minor": line_total,
                        "price_rule": "base",
                        "tax_rate": Decimal("0"),
                        "tax_minor": 0,
                    }
                )
            changed = offset == 0 and i < CHANGED_SINCE_PRINT
            at = now - timedelta(hours=1 if changed else 5)
            rows.append(
                {
                    "tenant_id": tid,
                    "id": order_id,
                    "number": number,
                    "customer_id": c["id"],
                    "location_id": loc["id"],
                    "placed_by_name": "Buyer",
                    "source": "staff",
                    "status": status,
                    "delivery_date": day + timedelta(days=offset),
                    "currency": "EUR",
                    "subtotal_minor": total,
                    "tax_minor": 0,
                    "total_minor": total,
                    "version": 1,
                    "placed_at": at,
                    "updated_at": at,
                }
            )
        session.execute(insert(Order), rows)
        session.execute(insert(OrderLine), lines)
    session.add(OrderCounter(tenant_id=tid, last_number=number))
    session.flush()
    counted = sum(1 for i in range(orders) if i % 20 and i % 25)
    return {"tenant_id": tid, "slug": slug, "orders": number, "counted": counted}


def optional_parts(postgres: bool) -> list[tuple[str, dict | str]]:
    """Run each optional part that exists (other work adds them); its dict or why not."""
    results = []
    for name in OPTIONAL_PARTS:
        if not (Path(__file__).resolve().parent / f"{name}.py").exists():
            results.append((name, f"not in this build (scripts/{name}.py is absent)"))
            continue
        module = importlib.import_module(f"scripts.{name}")
        results.append((name, module.run(postgres)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a scratch PostgreSQL database")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--skip-optional", action="store_true")
    parser.add_argument("--show-sql", action="store_true", help="print the page's statements")
    parser.add_argument("--explain", action="store_true", help="the sheet query's plan, then stop")
    args = parser.parse_args()

    from flask_sqlalchemy.session import _app_ctx_id

    from config.clock import utcnow
    from config.extensions import db
    from tenants.models import Tenant
    from tenants.production.documents import sheet_pdf, slips_pdf
    from tenants.production.packing import packing_slips
    from tenants.production.sheet import production_sheet
    from tenants.scoping import bind_tenant

    app, dialect, cleanup = build_app(args.postgres)
    app.config["WTF_CSRF_ENABLED"] = False
    results = []
    day = utcnow().date() + timedelta(days=1)
    try:
        # The build runs in an app context of its own; the measured requests must not, or Flask
        # would reuse it (and its `g`, signed-in user and session) instead of starting afresh.
        build_context = app.app_context()
        build_context.push()
        if True:
            engine = db.engine
            connection = engine.connect()
            outer = connection.begin()
            make_session = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
            original = db.session
            # Requests get their own session on the same connection (as the test suite does),
            # so the pages see the rolled-back data.
            db.session = scoped_session(make_session, scopefunc=_app_ctx_id)
            session = None
            try:
                rng = random.Random(14)
                t0 = time.perf_counter()
                built = []
                for slug in ("bench-day-a", "bench-day-b"):
                    builder = make_session()
                    built.append(build_bakery(builder, slug, orders=args.orders, day=day, rng=rng))
                    builder.commit()
                    builder.close()
                build_seconds = time.perf_counter() - t0
                bakery = built[0]
                session = make_session()
                bind_tenant(session, bakery["tenant_id"])
                db.session.remove()
                build_context.pop()
                build_context = None

                def tenant():
                    return session.scalar(select(Tenant).where(Tenant.id == bakery["tenant_id"]))

                client = app.test_client()
                response = client.post(
                    f"/admin/{bakery['slug']}/login",
                    data={"email": "owner@bench.example", "password": PASSWORD},
                )
                assert response.status_code == 302, response.status_code

                def sheet():
                    made = production_sheet(session, tenant(), day=day, now=utcnow())
                    assert made.orders == bakery["counted"]
                    assert made.prints.changed == min(CHANGED_SINCE_PRINT, args.orders)
                    return made

                def page(path):
                    def get():
                        answer = client.get(f"/admin/{bakery['slug']}/{path}?date={day}")
                        assert answer.status_code == 200, answer.status_code

                    return get

                def print_sheet():
                    answer = client.post(f"/admin/{bakery['slug']}/production/print?date={day}")
                    assert answer.mimetype == "application/pdf", answer.status_code

                def sheet_as_pdf():
                    t = tenant()
                    sheet_pdf(t, production_sheet(session, t, day=day, now=utcnow()))

                def slips():
                    found = packing_slips(session, tenant(), day=day)
                    assert len(found) == bakery["counted"]

                def slips_as_pdf():
                    t = tenant()
                    data = slips_pdf(t, day, packing_slips(session, t, day=day))
                    assert data.startswith(b"%PDF")

                if args.explain:
                    from sqlalchemy import text

                    from tenants.production.sheet import sheet_statement

                    compiled = sheet_statement(day).compile(
                        session.get_bind(), compile_kwargs={"literal_binds": True}
                    )
                    prefix = (
                        "EXPLAIN ANALYZE " if "postgresql" in dialect else "EXPLAIN QUERY PLAN "
                    )
                    for row in session.execute(text(prefix + str(compiled))):
                        print(" | ".join(str(v) for v in row))
                    return
                for label, fn, runs in (
                    ("production sheet (service)", sheet, args.runs),
                    ("production sheet page (GET, whole request)", page("production"), args.runs),
                    ("production sheet CSV (GET)", page("production/sheet.csv"), args.runs),
                    ("production sheet PDF (service + render)", sheet_as_pdf, args.runs),
                    ("packing slips (service)", slips, args.runs),
                    ("packing slips page (GET, whole request)", page("packing"), args.pdf_runs),
                    ("production sheet print (POST: record + PDF)", print_sheet, args.pdf_runs),
                    (f"packing slips PDF ({bakery['counted']} pages)", slips_as_pdf, args.pdf_runs),
                ):
                    results.append((label, *measure(engine, runs, fn, session)))
                if args.show_sql:
                    from sqlalchemy import event

                    seen = []
                    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
                    page("production")()
                    print("\n".join(" ".join(s.split())[:150] for s in seen))
            finally:
                if session is not None:
                    session.close()
                if build_context is not None:
                    db.session.remove()
                    build_context.pop()
                db.session = original
                outer.rollback()
                connection.close()
    finally:
        cleanup()

    print(f"database: {dialect}")
    for name, b in (("measured bakery", built[0]), ("second bakery", built[1])):
        print(
            f"{name}: {args.orders} customers and locations, {PRODUCTS} products in "
            f"{CATEGORIES} categories, {b['orders']} orders of {LINES_PER_ORDER} lines over 3 "
            f"days; on the date {args.orders} orders, {b['counted']} counted "
            f"(the rest cancelled or waiting for review), {CHANGED_SINCE_PRINT} changed since print"
        )
    print(f"built in {build_seconds:.1f} s (bulk inserts, one transaction, rolled back)")
    print(f"{'operation':52} {'median':>10} {'p95':>10} {'SQL':>5}")
    for label, median, p95, statements in results:
        print(f"{label:52} {median * 1000:8.1f}ms {p95 * 1000:8.1f}ms {statements:5d}")
    if not args.skip_optional:
        for name, outcome in optional_parts(args.postgres):
            print(f"\n{name}:")
            if isinstance(outcome, str):
                print(f"  {outcome}")
            else:
                for key, value in outcome.items():
                    print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
