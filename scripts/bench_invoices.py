"""Benchmark invoicing: invoice PDFs per second on one core (a one-page and a 300-line invoice),
and the month-end consolidated run for 200 customers with a month of delivered orders.

Usage:
    .venv/bin/python scripts/bench_invoices.py [--postgres] [--runs 20]

SQLite by default (a temporary file built by the real migrations); with --postgres a scratch
database where the application role runs every statement under row-level security (the test
suite's helpers make and drop it). Everything is built and run inside one transaction that is
rolled back at the end.

Method. The data is `scripts/bench_orders.py`'s bakery (200 customers on a negotiated list, 500
products at 7 % tax) with the orders of November 2026: Monday, Wednesday and Friday, 10 lines
each, all delivered (2,600 orders, 26,000 lines). The bakery invoices monthly. The month-end run
is `billing.invoicing.run_invoicing` at 1 December 12:00 UTC, which finds the orders, loads
their delivered lines (2 queries for all of them) and issues one invoice per customer: 200
invoices with about 130 lines each, numbered, their emails queued in the outbox (the PDFs
render at send time, so they are not in this number). It runs `--runs` times (default 5 here,
it is the slow one), each in a savepoint rolled back afterwards, after one warm-up run.
PDFs: `billing.documents.invoice_pdf` of one customer's consolidated invoice cut to 10 lines
(one page) and of an invoice with 300 lines (several pages), each rendered `--runs` times after
a warm-up in this one process (one core, one thread); PDFs per second on one core is 1 / the
median CPU time (time.process_time) of this process per PDF. Wall-clock times
(time.perf_counter) are printed too: on a shared machine they include waiting for a core and,
on PostgreSQL, the database's own work. Statements are one run's, counted by a listener.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from scripts.bench_orders import build_app, build_bakery  # noqa: E402

MONTH_END = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)  # the orders before it are delivered: all of November's
WEEKS = 5  # from the week of 2 November to that of 30 November


def timed(engine, runs: int, fn, *, before=None, after=None):
    """(median wall s, p95 wall s, statements of the last run, median CPU s of this process)
    of `fn()` after one warm-up run. CPU time is what one core spends, whatever else the
    machine runs; wall time includes waiting for the database (and for a busy machine)."""
    timings, cpu, count = [], [], [0]

    def listener(*_args, **_kwargs):
        count[0] += 1

    for run in range(runs + 1):
        if before:
            before()
        count[0] = 0
        event.listen(engine, "before_cursor_execute", listener)
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        elapsed = time.perf_counter() - start
        used = time.process_time() - start_cpu
        event.remove(engine, "before_cursor_execute", listener)
        if after:
            after()
        if run:
            timings.append(elapsed)
            cpu.append(used)
    timings.sort()
    p95 = timings[min(len(timings) - 1, max(0, round(0.95 * len(timings)) - 1))]
    return statistics.median(timings), p95, count[0], statistics.median(cpu)


def _long_order(session, bakery, lines: int) -> uuid.UUID:
    """A delivered order of `lines` lines (bulk inserted) for the bakery's first customer."""
    from tenants.orders.models import Order, OrderLine

    tid, order_id = bakery["tenant_id"], uuid.uuid4()
    rows = []
    for position, product_id in enumerate(bakery["products"][:lines]):
        rows.append(
            {
                "tenant_id": tid,
                "id": uuid.uuid4(),
                "order_id": order_id,
                "product_id": product_id,
                "position": position,
                "sku": f"LONG-{position:03d}",
                "product_name": f"Long order product {position} with a longer name",
                "unit": "each",
                "quantity": 3,
                "base_price_minor": 250,
                "unit_price_minor": 230,
                "line_total_minor": 690,
                "price_rule": "list",
                "tax_rate": Decimal("7"),
                "tax_minor": 48,
            }
        )
    session.execute(
        insert(Order),
        [
            {
                "tenant_id": tid,
                "id": order_id,
                "number": bakery["orders"] + 1,
                "customer_id": bakery["customers"][0],
                "location_id": bakery["locations"][0],
                "placed_by_name": "Bench",
                "source": "staff",
                "status": "delivered",
                "delivery_date": date(2026, 11, 30),
                "currency": "EUR",
                "subtotal_minor": 690 * lines,
                "tax_minor": 48 * lines,
                "total_minor": 738 * lines,
                "version": 1,
                "placed_at": MONTH_END,
                "updated_at": MONTH_END,
            }
        ],
    )
    session.execute(insert(OrderLine), rows)
    return order_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a scratch PostgreSQL database")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--month-runs", type=int, default=5)
    args = parser.parse_args()

    from billing.documents import invoice_pdf
    from billing.invoicing import issue_invoice, run_invoicing
    from billing.models import Invoice, InvoiceLine
    from billing.settings import update_settings
    from config.extensions import db
    from tenants.customers.models import Customer
    from tenants.models import Tenant
    from tenants.orders.models import Order
    from tenants.scoping import bind_tenant

    app, dialect, cleanup = build_app(args.postgres)
    try:
        with app.app_context(), app.test_request_context():
            engine = db.engine
            connection = engine.connect()
            outer = connection.begin()
            make_session = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
            try:
                rng = random.Random(42)
                t0 = time.perf_counter()
                builder = make_session()
                bakery = build_bakery(builder, "bench-inv", weeks=WEEKS, today=TODAY, rng=rng)
                builder.commit()
                builder.close()
                built = time.perf_counter() - t0
                session = make_session()
                tid = bakery["tenant_id"]
                bind_tenant(session, tid)
                tenant = session.scalar(select(Tenant).where(Tenant.id == tid))
                update_settings(
                    session,
                    tenant,
                    actor=None,
                    invoicing_mode="consolidated_monthly",
                    invoice_prefix="BN-",
                    credit_note_prefix="BN-CN-",
                    yearly_reset=True,
                    tax_number="DE 123",
                    bank_details="IBAN DE89 3704 0044 0532 0130 00",
                    payment_instructions="Quote the invoice number.",
                )
                delivered = session.scalar(
                    select(db.func.count()).select_from(Order).where(Order.status == "delivered")
                )
                savepoint = [None]
                issued = [0]

                def begin():
                    savepoint[0] = session.begin_nested()

                def roll_back():
                    savepoint[0].rollback()
                    session.expunge_all()

                def month_end():
                    issued[0] = len(run_invoicing(session, tenant, now=MONTH_END))

                month = timed(engine, args.month_runs, month_end, before=begin, after=roll_back)
                tenant = session.scalar(select(Tenant).where(Tenant.id == tid))

                # The documents: one real consolidated invoice, cut to 10 lines, and 300 lines.
                invoices = run_invoicing(session, tenant, now=MONTH_END)
                short = invoices[0]
                extra = session.scalars(
                    select(InvoiceLine).where(
                        InvoiceLine.invoice_id == short.id, InvoiceLine.position > 10
                    )
                ).all()
                for line in extra:
                    session.delete(line)
                session.flush()
                long_order = _long_order(session, bakery, 300)
                customer = session.scalar(
                    select(Customer).where(Customer.id == bakery["customers"][0])
                )
                long_invoice = issue_invoice(
                    session,
                    tenant,
                    customer=customer,
                    orders=[session.scalar(select(Order).where(Order.id == long_order))],
                    mode="on_demand",
                    now=MONTH_END,
                )
                one_page = timed(engine, args.runs, lambda: invoice_pdf(session, tenant, short))
                long = timed(engine, args.runs, lambda: invoice_pdf(session, tenant, long_invoice))
                sizes = (
                    len(invoice_pdf(session, tenant, short)),
                    len(invoice_pdf(session, tenant, long_invoice)),
                )
                import io

                from pypdf import PdfReader

                pages = len(PdfReader(io.BytesIO(invoice_pdf(session, tenant, long_invoice))).pages)
                lines_per_invoice = session.scalar(
                    select(db.func.count()).select_from(InvoiceLine)
                ) / max(1, session.scalar(select(db.func.count()).select_from(Invoice)))
            finally:
                outer.rollback()
                connection.close()
    finally:
        cleanup()

    print(f"database: {dialect}")
    print(
        f"built in {built:.1f} s: 200 customers, {delivered} delivered orders in November 2026 "
        f"({delivered * 10} lines)"
    )
    median, p95, statements, cpu = month
    print(
        f"month-end consolidated run: {issued[0]} invoices, median {median:.2f} s wall "
        f"({cpu:.2f} s CPU of this process), p95 {p95:.2f} s over {args.month_runs} runs, "
        f"{statements} statements (~{lines_per_invoice:.0f} lines per invoice)"
    )
    for label, (median, p95, statements, cpu), size, extra in (
        ("one-page invoice PDF (10 lines)", one_page, sizes[0], "1 page"),
        ("300-line invoice PDF", long, sizes[1], f"{pages} pages"),
    ):
        print(
            f"{label}: {1 / cpu:.1f} PDFs/s on one core ({cpu * 1000:.1f} ms CPU each; wall "
            f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms), {size / 1024:.0f} KiB, "
            f"{extra}, {statements} statements"
        )


if __name__ == "__main__":
    main()
