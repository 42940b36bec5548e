"""Benchmark the standing-order generator: 2,000 occurrences due at one cut-off.

Usage:
    .venv/bin/python scripts/bench_day_standing.py [--postgres] [--occurrences 2000]

`run(postgres)` returns the numbers as a dict (the bakery-day benchmark calls it); `__main__`
prints them. SQLite by default (a temporary file, built by the real migrations); with
--postgres a scratch database where the application role runs under row-level security (the
helpers of scripts/bench_orders.py). Everything is built inside one transaction that is rolled
back at the end, as scripts/bench_orders.py does.

Method. One bakery (Europe/London, delivering Monday to Saturday, orders closing 14:00 the day
before) with the priced 500-product catalog of scripts/bench_catalog.py (a default and a
negotiated list with volume breaks), N customers each with a location, an active buyer and one
weekly standing order of 5 products for next Tuesday; a second bakery has the same standing
orders for the same date and must be untouched. Measured: `projected_lines` for that Tuesday
(what the production sheet reads) and one `generate_due` run at Monday 14:00 (the cut-off), which
checks, prices and places every occurrence through `place_order` and queues each buyer's email;
then a second run, which must place nothing. Wall-clock time (time.perf_counter) of one run
each, statements counted with a before_cursor_execute listener.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, insert, select  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from scripts import bench_orders  # noqa: E402
from scripts.bench_catalog import seed_priced_catalog  # noqa: E402

PRODUCTS = 500
LINES = 5


def build_app(postgres: bool):
    """scripts/bench_orders.py's app builder, on a scratch database of this script's own name
    (so the two benchmarks can run side by side)."""
    if not postgres:
        return bench_orders.build_app(False)
    from tests.support import databases

    original = databases.database_name
    databases.database_name = lambda _name: original("bench_standing")
    try:
        return bench_orders.build_app(True)
    finally:
        databases.database_name = original


def _next_tuesday(today: date) -> date:
    return today + timedelta(days=(1 - today.weekday()) % 7 or 7)


def build_bakery(session, slug: str, n: int, tuesday: date, set_up_at: datetime, rng) -> uuid.UUID:
    """A bakery with `n` customers, each with a weekly Tuesday standing order; its id."""
    from tenants.customers.models import Contact, Customer, DeliveryLocation
    from tenants.models import Plan
    from tenants.orders.calendar_settings import set_delivery_days
    from tenants.orders.standing_models import StandingOrder, StandingOrderLine
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
    tid = tenant.id
    from datetime import time as clock

    set_delivery_days(session, tenant, actor=None, days={w: (1, clock(14)) for w in range(6)})
    catalog = seed_priced_catalog(
        session, tid, PRODUCTS, rng, prices=(80, 3000), tax_rate=Decimal("7"), sku_digits=4
    )
    products = [p["id"] for p in catalog.products]
    customers = [
        {
            "tenant_id": tid,
            "id": uuid.uuid4(),
            "business_name": f"Customer {i:04d}",
            "name_key": fold_key(f"Customer {i:04d}"),
            "portal_enabled": True,
            "standing_orders_allowed": True,
            "price_list_id": catalog.negotiated_id,
        }
        for i in range(n)
    ]
    session.execute(insert(Customer), customers)
    locations = [
        {"tenant_id": tid, "id": uuid.uuid4(), "customer_id": c["id"], "name": "Main"}
        for c in customers
    ]
    session.execute(insert(DeliveryLocation), locations)
    password = hash_password(secrets.token_hex(12))
    session.execute(
        insert(Contact),
        [
            {
                "tenant_id": tid,
                "id": uuid.uuid4(),
                "customer_id": c["id"],
                "first_name": "Buyer",
                "last_name": f"{i:04d}",
                "email": f"buyer{i:04d}@bench.example",
                "status": "active",
                "is_owner": True,
                "access_level": "organization",
                "password_hash": password,
            }
            for i, c in enumerate(customers)
        ],
    )
    orders = [
        {
            "tenant_id": tid,
            "id": uuid.uuid4(),
            "customer_id": c["id"],
            "location_id": loc["id"],
            "name": "Weekly",
            "weekday": 1,
            "every_weeks": 1,
            "starts_on": tuesday,
            "notes": "",
            "created_by_name": "Bench",
            "updated_at": set_up_at,
            "updated_by_name": "Bench",
            "active_from": set_up_at,
            "created_at": set_up_at,
        }
        for c, loc in zip(customers, locations, strict=True)
    ]
    session.execute(insert(StandingOrder), orders)
    session.execute(
        insert(StandingOrderLine),
        [
            {
                "tenant_id": tid,
                "id": uuid.uuid4(),
                "standing_order_id": o["id"],
                "product_id": pid,
                "quantity": rng.randint(1, 30),
                "position": k,
            }
            for o in orders
            for k, pid in enumerate(rng.sample(products, LINES))
        ],
    )
    session.flush()
    return tid


class _Counter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._bump)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._bump)

    def _bump(self, *args):
        self.count += 1


def run(postgres: bool, occurrences: int = 2000) -> dict:
    """Build, measure and roll back; returns the numbers (see the module docstring)."""
    from config.extensions import db
    from tenants.models import Tenant
    from tenants.orders.calendar import cutoff_for, load_schedule
    from tenants.orders.models import Order
    from tenants.orders.standing import projected_lines
    from tenants.orders.standing_generate import generate_due
    from tenants.scoping import bind_tenant

    app, dialect, cleanup = build_app(postgres)
    result: dict = {"database": dialect, "occurrences": occurrences}
    try:
        with app.app_context():
            engine = db.engine
            connection = engine.connect()
            outer = connection.begin()
            make_session = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
            try:
                rng = random.Random(14)
                today = datetime.now(UTC).date()
                tuesday = _next_tuesday(today)
                set_up_at = datetime.now(UTC) - timedelta(days=1)
                t0 = time.perf_counter()
                ids = []
                for slug in ("bench-standing-a", "bench-standing-b"):
                    builder = make_session()
                    ids.append(build_bakery(builder, slug, occurrences, tuesday, set_up_at, rng))
                    builder.commit()
                    builder.close()
                result["build_seconds"] = round(time.perf_counter() - t0, 1)
                session = make_session()
                bind_tenant(session, ids[0])
                tenant = session.scalar(select(Tenant).where(Tenant.id == ids[0]))
                schedule = load_schedule(session, tenant, first=tuesday, last=tuesday)
                cutoff = cutoff_for(schedule, tuesday)  # Monday 14:00 London, from the calendar

                with _Counter(engine) as counter:
                    t = time.perf_counter()
                    projected = projected_lines(session, tenant, tuesday)
                    result["projected_seconds"] = round(time.perf_counter() - t, 3)
                result["projected_lines"] = len(projected)
                result["projected_statements"] = counter.count
                assert len(projected) == occurrences * LINES, len(projected)

                with _Counter(engine) as counter:
                    t = time.perf_counter()
                    done = generate_due(session, tenant, now=cutoff + timedelta(minutes=1))
                    seconds = time.perf_counter() - t
                placed = len(done.placed)
                assert placed == occurrences and not done.failed, (placed, len(done.failed))
                result["generate_seconds"] = round(seconds, 2)
                result["occurrences_per_second"] = round(placed / seconds, 1)
                result["statements"] = counter.count
                result["statements_per_occurrence"] = round(counter.count / placed, 1)
                with _Counter(engine) as counter:
                    t = time.perf_counter()
                    again = generate_due(session, tenant, now=cutoff + timedelta(minutes=61))
                    result["second_run_seconds"] = round(time.perf_counter() - t, 2)
                assert not again.placed and not again.failed
                result["second_run_statements"] = counter.count
                result["orders"] = session.scalar(select(func.count()).select_from(Order))
                session.close()
                other = make_session()
                bind_tenant(other, ids[1])
                result["other_bakery_orders"] = other.scalar(
                    select(func.count()).select_from(Order)
                )
                other.close()
            finally:
                outer.rollback()
                connection.close()
    finally:
        cleanup()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a scratch PostgreSQL database")
    parser.add_argument("--occurrences", type=int, default=2000)
    args = parser.parse_args()
    result = run(args.postgres, args.occurrences)
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
