"""Double submits of one payment form arriving at once on the real PostgreSQL, each in its own
thread, connection and committed transaction (these tests commit for real and delete their
bakeries after): exactly one payment is recorded per bakery, every submit gets that payment
back, and the other bakery's submits with the same key record their own.

Both ways a race is settled are covered: with an open invoice the losers wait on its row lock
and find the winner's payment; with none (all of it becomes credit) they hit the unique key.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from config.extensions import db
from tenants.scoping import bind_tenant
from tests.support import databases
from tests.support.catalog import tenant_of
from tests.support.factories import make_bakery, make_customer
from tests.support.orders import customer_row
from tests.support.receivables import add_invoice

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
NORTH_WORKERS, SOUTH_WORKERS = 10, 2
KEY = "one-payment-form"


@pytest.fixture
def committed(base_app, pg_database):
    """Two committed bakeries with a café each (threads need to see them), removed after."""
    suffix = uuid.uuid4().hex[:8]
    bakeries = [make_bakery(base_app, f"pay-{name}-{suffix}") for name in ("north", "south")]
    yield [(bakery, make_customer(base_app, bakery, "Café Aurora")["id"]) for bakery in bakeries]
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


def _record(app, bakery, cafe, invoice):
    from billing.payments import record_payment

    with app.app_context():
        bind_tenant(db.session, bakery.id)
        try:
            recorded = record_payment(
                db.session,
                tenant_of(db.session, bakery),
                actor=None,
                customer=customer_row(db.session, cafe),
                method="cash",
                amount_minor=5_000,
                received_on=date(2026, 11, 20),
                # Split by hand, as the form does: a loser that did not look for the winner's
                # payment after the lock would be refused ("less than that left to pay").
                allocations={invoice: 4_000} if invoice else None,
                idempotency_key=KEY,
                now=NOW,
            )
            result = (bakery.slug, recorded.payment.id, recorded.replayed)
            db.session.commit()
            return result
        finally:
            db.session.remove()


def _books(app, bakery):
    """(amount, allocated) of each of the bakery's payments, and what its invoices were paid."""
    from billing.models import Invoice
    from billing.receivables_models import Payment

    with app.app_context():
        bind_tenant(db.session, bakery.id)
        try:
            paid = [
                (p.amount_minor, p.allocated_minor) for p in db.session.scalars(select(Payment))
            ]
            return paid, sorted(db.session.scalars(select(Invoice.paid_minor)))
        finally:
            db.session.remove()


def _race(app, committed, invoices):
    (north, north_cafe), (south, south_cafe) = committed
    shops = [(north, north_cafe, invoices[0])] * NORTH_WORKERS + [
        (south, south_cafe, invoices[1])
    ] * SOUTH_WORKERS
    results, errors = _in_parallel(len(shops), lambda i: _record(app, *shops[i]))
    assert errors == [None] * len(shops)
    for bakery, count in ((north, NORTH_WORKERS), (south, SOUTH_WORKERS)):
        mine = [r for r in results if r[0] == bakery.slug]
        assert len(mine) == count
        assert len({payment_id for _, payment_id, _ in mine}) == 1  # all answered with one
        assert sum(not replayed for _, _, replayed in mine) == 1  # and only one recorded it


@pytest.mark.parametrize("open_invoice", [True, False], ids=["invoice-lock", "unique-key"])
def test_parallel_submits_of_one_form_record_one_payment_per_bakery(
    base_app, committed, open_invoice
):
    invoices = [
        add_invoice(base_app, bakery, cafe, total=4_000, due_date=date(2026, 12, 1))
        if open_invoice
        else None
        for bakery, cafe in committed
    ]
    _race(base_app, committed, invoices)
    for bakery, _ in committed:
        if open_invoice:
            assert _books(base_app, bakery) == ([(5_000, 4_000)], [4_000])
        else:
            assert _books(base_app, bakery) == ([(5_000, 0)], [])
