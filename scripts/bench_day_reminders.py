"""Benchmark the weekly reminder's fan-out: 10,000 contacts mailed through a real RQ worker to a
local SMTP server.

Usage:
    .venv/bin/python scripts/bench_day_reminders.py [--postgres] [--contacts 10000]
        [--per-customer 10] [--redis redis://127.0.0.1:6379/7]

Method. One bakery (Enterprise) with 1,000 customers of 10 active contacts each (every contact
may order), each customer with one delivered order of 3 lines and its reminder set to a minute
ago in bakery time, so it is due now; bulk inserts, committed (the worker is another process).
SQLite by default (a temporary file built by the real migrations); with --postgres a scratch
database, the application role under row-level security, dropped afterwards. Redis is a spare
DB (7 by default), flushed before and after.

1. Dispatch (in this process): the scheduler's `run_periodic` for the `weekly_reminders` task,
   exactly as a dispatched job runs it: it finds the due customers and, after its commit,
   queues one `remind_customer` job per customer.
2. One burst worker (`flask --app wsgi worker default mail --burst`, RQ's forking worker, as
   deployed) started as a subprocess and timed until it exits with both queues empty. Each
   customer job claims its week, checks the coming order (calendar, last order, re-priced by
   the engine), writes one outbox row per contact (`queue_email`) and, after its commit,
   queues one delivery job per row; each delivery job claims its row, renders the branded
   email with its one-time link and sends it over SMTP to an aiosmtpd server in this process
   (tests/support/smtp.py).
Reported: the dispatch's seconds and customer jobs queued; the customer jobs' seconds (worker
start to the first mail arriving: the worker takes the `default` queue first, so every row is
written before any mail goes); mails sent (SMTP count and outbox rows marked sent); the
worker's wall time; and mails per second per worker: messages over the span from the first to
the last arriving at the SMTP server (the worker process's own start-up and RQ's teardown are
per process; the wall-time rate includes them). Wall-clock (time.perf_counter).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

DEFAULT_REDIS = "redis://127.0.0.1:6379/7"


def _env(database_url: str, redis_url: str, smtp_port: int) -> dict:
    return {
        "APP_ENV": "test",
        "SECRET_KEY": "bench-reminders",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "BASE_URL": "http://bench.example",
    }


def build_app(postgres: bool, redis_url: str, smtp_port: int):
    """(app, env for the worker, dialect label, cleanup)."""
    from config.root.app import create_app
    from config.settings import Settings

    if postgres:
        from tests.support import databases

        name = databases.database_name("bench_reminders")
        databases.ensure_roles()
        databases.recreate_database(name)
        databases.migrate(name)
        env = _env(databases.url(databases.APP_ROLE, name), redis_url, smtp_port)
        app = create_app(Settings.from_env(env))

        def cleanup():
            from config.extensions import db

            with app.app_context():
                db.engine.dispose()
            databases.drop_database(name)

        return app, env, "postgresql (application role, row-level security forced)", cleanup
    path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    env = _env(f"sqlite:///{path}", redis_url, smtp_port)
    app = create_app(Settings.from_env(env), check_db_role=False)
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    return app, env, "sqlite (file)", lambda: path.unlink(missing_ok=True)


def seed(session, *, customers: int, per_customer: int) -> tuple[uuid.UUID, str]:
    """The bakery, its customers, contacts, orders and reminder times; returns (tenant id,
    the reminders' local occurrence)."""
    from tenants.catalog.models import Product
    from tenants.customers.models import Contact, Customer, DeliveryLocation
    from tenants.models import Plan
    from tenants.orders.followup_models import ReminderSetting
    from tenants.orders.models import Order, OrderCounter, OrderLine
    from tenants.scoping import bind_tenant
    from tenants.signup import sign_up_bakery
    from tenants.text_keys import fold_key

    tenant, _ = sign_up_bakery(
        session,
        name="Bench Reminders",
        slug="bench-reminders",
        owner_name="Bench Owner",
        email="owner@bench.example",
        password=secrets.token_hex(16),
        timezone="Europe/London",
        currency="EUR",
        locale="en_GB",
    )
    plan = session.scalar(select(Plan).where(Plan.code == "enterprise"))
    tenant.plan_id, tenant.plan, tenant.subscription_status = plan.id, plan, "active"
    tenant.owner_email_verified_at = datetime.now(UTC)
    session.flush()
    bind_tenant(session, tenant.id)
    tid, now = tenant.id, datetime.now(UTC)
    products = [
        {
            "tenant_id": tid,
            "id": uuid.uuid4(),
            "sku": f"B-{i}",
            "name": f"Bread {i}",
            "unit": "each",
            "base_price_minor": 150 + 10 * i,
            "tax_rate": Decimal("7"),
            "updated_at": now,
        }
        for i in range(3)
    ]
    session.execute(insert(Product), products)
    rows = {"customers": [], "locations": [], "contacts": [], "orders": [], "lines": []}
    local = now.astimezone(ZoneInfo("Europe/London")) - timedelta(minutes=1)
    settings = []
    for i in range(customers):
        cid, lid, oid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        rows["customers"].append(
            {
                "tenant_id": tid,
                "id": cid,
                "business_name": f"Café {i:04d}",
                "name_key": fold_key(f"Café {i:04d}"),
                "portal_enabled": True,
            }
        )
        rows["locations"].append(
            {"tenant_id": tid, "id": lid, "customer_id": cid, "name": "Main", "address": "1 Main"}
        )
        for j in range(per_customer):
            rows["contacts"].append(
                {
                    "tenant_id": tid,
                    "id": uuid.uuid4(),
                    "customer_id": cid,
                    "first_name": "Buyer",
                    "last_name": f"{i}-{j}",
                    "email": f"buyer{i:04d}-{j:02d}@bench.example",
                    "status": "active",
                    "is_owner": j == 0,
                    "access_level": "organization",
                    "can_view_orders": True,
                    "can_create_orders": True,
                }
            )
        placed = now - timedelta(days=7)
        subtotal = 0
        for position, p in enumerate(products):
            total = p["base_price_minor"] * 10
            subtotal += total
            rows["lines"].append(
                {
                    "tenant_id": tid,
                    "id": uuid.uuid4(),
                    "order_id": oid,
                    "product_id": p["id"],
                    "position": position,
                    "sku": p["sku"],
                    "product_name": p["name"],
                    "unit": "each",
                    "quantity": 10,
                    "base_price_minor": p["base_price_minor"],
                    "unit_price_minor": p["base_price_minor"],
                    "line_total_minor": total,
                    "price_rule": "base",
                    "tax_rate": Decimal("7"),
                    "tax_minor": (total * 7 + 50) // 100,
                }
            )
        rows["orders"].append(
            {
                "tenant_id": tid,
                "id": oid,
                "number": i + 1,
                "customer_id": cid,
                "location_id": lid,
                "placed_by_name": "Buyer",
                "source": "wholesale_portal",
                "status": "delivered",
                "delivery_date": placed.date() + timedelta(days=1),
                "currency": "EUR",
                "subtotal_minor": subtotal,
                "tax_minor": 0,
                "total_minor": subtotal,
                "version": 1,
                "placed_at": placed,
                "updated_at": placed,
            }
        )
        settings.append(
            {
                "tenant_id": tid,
                "id": uuid.uuid4(),
                "customer_id": cid,
                "weekday": local.weekday(),
                "at": local.time().replace(second=0, microsecond=0),
            }
        )
    session.execute(insert(Customer), rows["customers"])
    session.execute(insert(DeliveryLocation), rows["locations"])
    session.execute(insert(Contact), rows["contacts"])
    session.execute(insert(Order), rows["orders"])
    session.execute(insert(OrderLine), rows["lines"])
    session.execute(insert(ReminderSetting), settings)
    session.add(OrderCounter(tenant_id=tid, last_number=customers))
    session.commit()
    return tid, local.strftime("%Y-%m-%dT%H:%M")


def _timed(smtp) -> list[float]:
    """Record when each message reaches the SMTP server: the first-to-last span is the worker's
    delivery rate without its start-up (app import) and RQ's teardown (up to a minute waiting
    for its pub/sub thread), which are per worker process, not per mail."""
    arrivals: list[float] = []
    handle = smtp.handler.handle_DATA

    async def handle_data(server, session, envelope):
        answer = await handle(server, session, envelope)
        arrivals.append(time.perf_counter())
        return answer

    smtp.handler.handle_DATA = handle_data
    return arrivals


def _sent(app, tenant_id) -> int:
    from config.extensions import db
    from tenants.outbox import OutboundEmail
    from tenants.scoping import bind_tenant

    with app.app_context():
        bind_tenant(db.session, tenant_id)
        return db.session.scalar(
            select(func.count()).select_from(OutboundEmail).where(OutboundEmail.status == "sent")
        )


def run(
    postgres: bool,
    *,
    contacts: int = 10_000,
    per_customer: int = 10,
    redis_url: str = DEFAULT_REDIS,
) -> dict:
    """Build, fan out, deliver with one burst worker; returns the measurements."""
    from redis import Redis

    from config.extensions import db
    from jobs.runtime import execute
    from tests.support.smtp import SMTPServer

    redis = Redis.from_url(redis_url)
    redis.flushdb()
    smtp = SMTPServer()
    arrivals = _timed(smtp)
    smtp.start()
    app, env, dialect, cleanup = build_app(postgres, redis_url, smtp.port)
    try:
        customers = contacts // per_customer
        with app.app_context():
            tenant_id, period = seed(db.session, customers=customers, per_customer=per_customer)
        started = time.perf_counter()
        execute(app, "jobs.schedule.run_periodic", str(tenant_id), "weekly_reminders", period)
        fan_out = time.perf_counter() - started
        queued = redis.llen("rq:queue:default")
        started = time.perf_counter()
        worker = subprocess.run(  # noqa: S603 - our own flask command, fixed arguments
            [
                str(Path(sys.executable).parent / "flask"),
                "--app",
                "wsgi",
                "worker",
                "default",
                "mail",
                "--burst",
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
        )
        delivery = time.perf_counter() - started
        if worker.returncode != 0:
            raise RuntimeError(worker.stderr[-2000:])
        sent = _sent(app, tenant_id)
        steady = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else float("nan")
        return {
            "database": dialect,
            "customers": customers,
            "contacts": customers * per_customer,
            "dispatch_seconds": round(fan_out, 2),
            "customer_jobs_queued": queued,
            "customer_jobs_seconds": round(arrivals[0] - started, 2) if arrivals else None,
            "worker_wall_seconds": round(delivery, 2),
            "smtp_received": len(smtp.messages),
            "outbox_sent": sent,
            "mails_per_second_per_worker": round((len(arrivals) - 1) / steady, 1),
            "mails_per_second_incl_worker_start_and_stop": round(sent / delivery, 1),
        }
    finally:
        cleanup()
        smtp.stop()
        redis.flushdb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--per-customer", type=int, default=10)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    args = parser.parse_args()
    result = run(
        args.postgres, contacts=args.contacts, per_customer=args.per_customer, redis_url=args.redis
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
