"""Benchmark the pricing engine: a 500-line cart against a 5,000-product catalog.

Usage:
    .venv/bin/python scripts/bench_pricing.py [--products 5000] [--lines 500] [--runs 15]

SQLite (a temporary file, migrated with the real migrations) by default; set DATABASE_URL to an
already migrated PostgreSQL database to measure there (as a role that may delete a bakery, such
as the owner role). The script commits its own bench bakery (the catalog memo keeps only what
is committed) and deletes it, with everything it holds, at the end.

Method: the catalog gets a default list (5% off every product) and a negotiated list pricing
half the products with a fixed price and three volume breaks each; the customer is on the
negotiated list, so the other half falls back to the default. Each run is a new session and
transaction (as a new request is) and times `price_cart` for the whole cart with
time.perf_counter and time.process_time, in two modes: warm (the price book is in the catalog
memo, as for every request until the bakery's catalog changes) and cold (the memo emptied
first: the first request after a change, which loads the customer's whole price book). The
script prints the median, min and max of the runs, and the SQL statements one run sends (a
before_cursor_execute listener on the engine).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, event  # noqa: E402

from scripts.bench_catalog import seed_priced_catalog  # noqa: E402


def build_app():
    """The app on DATABASE_URL, or on a fresh migrated SQLite file."""
    from config.root.app import create_app
    from config.settings import Settings

    url = os.environ.get("DATABASE_URL")
    if not url:
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        url = f"sqlite:///{path}"
    settings = Settings.from_env({"APP_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
    app = create_app(settings, check_db_role=False)
    if url.startswith("sqlite"):
        from flask_migrate import upgrade

        with app.app_context():
            upgrade()
    return app, settings.dialect


def seed(session, n_products: int):
    """A bakery with `n_products` products, two price lists with breaks, and one customer."""
    from sqlalchemy import select

    from tenants.customers.models import Customer
    from tenants.models import Plan
    from tenants.signup import sign_up_bakery

    slug = f"bench-{uuid.uuid4().hex[:8]}"
    tenant, _ = sign_up_bakery(
        session,
        name="Bench Bakery",
        slug=slug,
        owner_name="Bench",
        email="bench@example.com",
        password=secrets.token_hex(16),
        timezone="UTC",
        currency="EUR",
        locale="en_GB",
    )
    enterprise = session.scalar(select(Plan).where(Plan.code == "enterprise"))
    tenant.plan_id, tenant.plan, tenant.subscription_status = enterprise.id, enterprise, "active"
    tid = tenant.id
    rng = random.Random(42)
    catalog = seed_priced_catalog(session, tid, n_products, rng)
    products, cafes_id = catalog.products, catalog.negotiated_id
    customer = Customer(tenant_id=tid, business_name="Café Aurora", price_list_id=cafes_id)
    session.add(customer)
    session.flush()
    return tenant, customer.id, [p["id"] for p in products], catalog.entries, catalog.breaks


def _collector(statements: list[str]):
    """A before_cursor_execute listener that appends each statement's SQL to `statements`."""
    return lambda *a, **k: statements.append(a[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", action="store_true", help="print cProfile of the runs")
    parser.add_argument("--profile-mode", choices=("warm", "cold"), default="warm")
    args = parser.parse_args()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU time, as profile_pages.py

    from config.extensions import db
    from tenants.catalog.memo import forget_all
    from tenants.catalog.quotes import price_cart
    from tenants.customers.models import Customer
    from tenants.models import Tenant
    from tenants.scoping import bind_tenant

    app, dialect = build_app()
    with app.app_context():
        engine = db.engine
        t0 = time.perf_counter()
        tenant, customer_id, product_ids, n_entries, n_breaks = seed(db.session, args.products)
        tenant_id = tenant.id
        db.session.commit()  # committed, so the catalog stamp is set and the memo may keep it
        db.session.remove()
        seeded = time.perf_counter() - t0
        rng = random.Random(7)
        lines = [(pid, rng.randint(1, 120)) for pid in rng.sample(product_ids, args.lines)]
        results = {}
        try:
            for mode in ("warm", "cold"):
                statements: list[str] = []
                timings, cpu_times = [], []
                for run in range(args.runs + 1):
                    session = db.session  # a new request's session and transaction
                    bind_tenant(session, tenant_id)
                    tenant = session.get(Tenant, tenant_id)
                    customer = session.get(Customer, (tenant_id, customer_id))
                    if mode == "cold":
                        forget_all()  # the first request after a catalog change
                    statements.clear()
                    listener = _collector(statements)
                    event.listen(engine, "before_cursor_execute", listener)
                    if profiler and run and mode == args.profile_mode:
                        profiler.enable()
                    start = time.perf_counter()
                    cpu = time.process_time()
                    quotes = price_cart(
                        session, tenant, customer=customer, lines=lines, on=date(2026, 6, 1)
                    )
                    elapsed = time.perf_counter() - start
                    cpu = time.process_time() - cpu
                    if profiler:
                        profiler.disable()
                    event.remove(engine, "before_cursor_execute", listener)
                    db.session.remove()
                    if run:  # the first run warms caches (statement compilation) and is dropped
                        timings.append(elapsed)
                        cpu_times.append(cpu)
                results[mode] = (timings, cpu_times, list(statements))
            assert len(quotes) == args.lines
            total = sum(q.line_total_minor for q in quotes)
            rules = {r: sum(q.rule == r for q in quotes) for r in ("list", "break", "base")}
        finally:
            db.session.remove()
            with engine.begin() as connection:  # the bench bakery goes, with all it holds
                connection.execute(delete(Tenant.__table__).where(Tenant.id == tenant_id))

    print(
        f"database: {dialect}; catalog: {args.products} products, {n_entries} list entries, "
        f"{n_breaks} volume breaks (seeded in {seeded:.1f}s)"
    )
    print(f"cart: {args.lines} lines ({rules}); cart total {total} minor units")
    for mode, what in (
        ("warm", "warm: the price book kept from an earlier request"),
        ("cold", "cold: the first request after a catalog change"),
    ):
        timings, cpu_times, statements = results[mode]
        print(
            f"price_cart, {what}, over {args.runs} runs (first warm-up run dropped): "
            f"median {statistics.median(timings) * 1000:.1f} ms, "
            f"min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms; "
            f"CPU time (this process) median {statistics.median(cpu_times) * 1000:.1f} ms; "
            f"{len(statements)} SQL statements"
        )
        for statement in statements:
            print("   ", " ".join(statement.split())[:110])
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
