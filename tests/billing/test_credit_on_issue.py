"""An overpayment kept as account credit pays the next invoice the moment it is issued
(`billing.invoicing.issue_invoice` calls `billing.payments.apply_account_credit`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session
from tests.support.invoices import delivered_order
from tests.support.orders import customer_row
from tests.support.receivables import invoice_row, record

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _issue(app, shop, order_id):
    from billing.invoicing import issue_invoice
    from tenants.orders.models import Order

    with tenant_session(app, shop.bakery.id) as session:
        order = session.scalar(select(Order).where(Order.id == order_id))
        invoice = issue_invoice(
            session,
            tenant_of(session, shop.bakery),
            customer=customer_row(session, shop.customer["id"]),
            orders=[order],
            mode="on_demand",
            now=NOW,
        )
        return invoice.id


def _state(app, shop, invoice_id):
    with tenant_session(app, shop.bakery.id) as session:
        invoice = invoice_row(session, invoice_id)
        return invoice.total_minor, invoice.paid_minor, invoice.status(date(2026, 12, 7))


def test_account_credit_pays_the_next_invoice_issued(app, shops):
    north, south = shops
    # 10 baguettes at 2.50 + 7% = 26.75; the café has 20.00 on account in one bakery only.
    record(app, north.bakery, north.customer["id"], 2_000, on=date(2026, 12, 1))
    orders = [
        delivered_order(
            app,
            shop.bakery,
            customer_id=shop.customer["id"],
            location_id=shop.main,
            day=date(2026, 12, 3),
            lines=[(shop.bread, 10, None)],
        )
        for shop in (north, south)
    ]
    mine, theirs = _issue(app, north, orders[0]), _issue(app, south, orders[1])
    assert _state(app, north, mine) == (2_675, 2_000, "partially_paid")
    assert _state(app, south, theirs) == (2_675, 0, "open")


def test_credit_larger_than_the_invoice_pays_it_and_the_rest_waits(app, shops):
    north, _ = shops
    record(app, north.bakery, north.customer["id"], 5_000, on=date(2026, 12, 1))
    order = delivered_order(
        app,
        north.bakery,
        customer_id=north.customer["id"],
        location_id=north.main,
        day=date(2026, 12, 3),
        lines=[(north.bread, 10, None)],
    )
    invoice = _issue(app, north, order)
    assert _state(app, north, invoice) == (2_675, 2_675, "paid")
    from billing.payments import account_credit

    with tenant_session(app, north.bakery.id) as session:
        assert account_credit(session, north.customer["id"]) == 2_325


def test_a_credit_note_on_a_paid_invoice_turns_the_excess_into_account_credit(app, shops):
    from billing.credits import issue_credit_note
    from billing.models import InvoiceLine
    from billing.payments import account_credit

    north, south = shops
    invoices = {}
    for shop in (north, south):
        order = delivered_order(
            app,
            shop.bakery,
            customer_id=shop.customer["id"],
            location_id=shop.main,
            day=date(2026, 12, 3),
            lines=[(shop.bread, 10, None)],
        )
        invoices[shop.bakery.slug] = _issue(app, shop, order)
        record(app, shop.bakery, shop.customer["id"], 2_675, on=date(2026, 12, 7))
    mine = invoices[north.bakery.slug]
    with tenant_session(app, north.bakery.id) as session:
        invoice = invoice_row(session, mine)
        line = session.scalar(select(InvoiceLine).where(InvoiceLine.invoice_id == mine))
        issue_credit_note(
            session,
            tenant_of(session, north.bakery),
            actor=None,
            invoice=invoice,
            quantities={line.id: 4},  # 4 x 2.50 + 7% = 10.70
            reason="Four were burnt",
            now=NOW,
        )
    with tenant_session(app, north.bakery.id) as session:
        invoice = invoice_row(session, mine)
        assert (invoice.credited_minor, invoice.paid_minor, invoice.balance_minor) == (
            1_070,
            1_605,
            0,
        )
        assert account_credit(session, north.customer["id"]) == 1_070
    assert _state(app, south, invoices[south.bakery.slug]) == (2_675, 2_675, "paid")
