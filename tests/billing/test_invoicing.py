"""Issuing invoices from delivered quantities: lines, totals, shorts, credits, voids, terms."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session
from tests.support.invoices import delivered_order, order_line_ids, set_mode
from tests.support.orders import customer_row

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _issue(app, shop, order_ids, now=NOW):
    from billing.invoicing import issue_invoice
    from tenants.orders.models import Order

    with tenant_session(app, shop.bakery.id) as session:
        orders = list(session.scalars(select(Order).where(Order.id.in_(order_ids))))
        invoice = issue_invoice(
            session,
            tenant_of(session, shop.bakery),
            customer=customer_row(session, shop.customer["id"]),
            orders=sorted(orders, key=lambda o: o.number),
            mode="on_demand",
            now=now,
        )
        return invoice.id


def _invoice(app, shop, invoice_id):
    from billing.queries import get_invoice, invoice_detail

    with tenant_session(app, shop.bakery.id) as session:
        detail = invoice_detail(session, get_invoice(session, invoice_id))
        session.expunge_all()
        return detail


def test_an_invoice_bills_what_was_delivered_with_tax_per_line(app, shops):
    from billing.delivery import LineDelivery, record_delivery
    from tenants.orders.queries import get_order

    north, south = shops
    order = delivered_order(
        app,
        north.bakery,
        customer_id=north.customer["id"],
        location_id=north.main,
        day=date(2026, 12, 3),
        lines=[(north.bread, 20, 233), (north.roll, 6, None)],
    )
    bread_line, roll_line = order_line_ids(app, north.bakery, order)
    with tenant_session(app, north.bakery.id) as session:
        record_delivery(
            session,
            tenant_of(session, north.bakery),
            actor=None,
            order=get_order(session, order),
            customer=customer_row(session, north.customer["id"]),
            lines=[LineDelivery(bread_line, delivered=18, returned=1, reason="stale")],
            now=NOW,
        )
    detail = _invoice(app, north, _issue(app, north, [order]))
    invoice = detail.invoice
    bread, roll = detail.lines
    assert (bread.quantity_ordered, bread.quantity) == (20, 17)
    assert "ordered 20, delivered 17" in bread.note
    assert bread.line_total_minor == 17 * 233
    assert bread.tax_minor == 277  # 3961 * 7 % = 277.27 -> 277
    assert (roll.quantity, roll.line_total_minor, roll.tax_minor) == (6, 480, 91)  # 91.2
    assert invoice.subtotal_minor == 3961 + 480
    assert invoice.tax_minor == 277 + 91
    assert invoice.total_minor == 3961 + 480 + 277 + 91
    assert invoice.discount_minor == 17 * (250 - 233)
    assert invoice.number == "INV-2026-0001"
    assert invoice.due_date == date(2026, 12, 21)  # net 14 from the 7th
    assert invoice.status(date(2026, 12, 21)) == "open"
    assert invoice.status(date(2026, 12, 22)) == "overdue"
    # The other bakery's numbering is untouched and starts at 1 on its own.
    other = delivered_order(
        app,
        south.bakery,
        customer_id=south.customer["id"],
        location_id=south.main,
        day=date(2026, 12, 3),
        lines=[(south.bread, 1, None)],
    )
    assert _invoice(app, south, _issue(app, south, [other])).invoice.number == "INV-2026-0001"


def test_an_invoiced_order_is_locked_and_a_credit_note_lowers_the_balance(app, shops):
    from billing.credits import issue_credit_note
    from billing.delivery import LineDelivery, record_delivery
    from billing.errors import InvoiceLocked
    from billing.queries import get_invoice
    from tenants.orders.queries import get_order

    north, _ = shops
    order = delivered_order(
        app,
        north.bakery,
        customer_id=north.customer["id"],
        location_id=north.main,
        day=date(2026, 12, 3),
        lines=[(north.bread, 10, None)],
    )
    invoice_id = _issue(app, north, [order])
    (line,) = _invoice(app, north, invoice_id).lines
    with tenant_session(app, north.bakery.id) as session:
        tenant = tenant_of(session, north.bakery)
        with pytest.raises(InvoiceLocked):
            record_delivery(
                session,
                tenant,
                actor=None,
                order=get_order(session, order),
                customer=customer_row(session, north.customer["id"]),
                lines=[LineDelivery(order_line_ids(app, north.bakery, order)[0], 5)],
                now=NOW,
            )
        note = issue_credit_note(
            session,
            tenant,
            actor=None,
            invoice=get_invoice(session, invoice_id),
            quantities={line.id: 2},
            reason="Two were burnt & <b>bad</b>",
            now=NOW,
        )
        assert note.number == "CN-2026-0001"
        assert note.total_minor == 500 + 35
    detail = _invoice(app, north, invoice_id)
    assert detail.invoice.credited_minor == 535
    assert detail.invoice.balance_minor == 2675 - 535
    assert [len(v.lines) for v in detail.credit_notes] == [1]


def test_a_void_invoice_keeps_its_number_and_frees_its_orders(app, shops):
    from billing.invoicing import uninvoiced_delivered_orders
    from billing.queries import get_invoice
    from billing.voiding import void_invoice

    north, _ = shops
    order = delivered_order(
        app,
        north.bakery,
        customer_id=north.customer["id"],
        location_id=north.main,
        day=date(2026, 12, 3),
        lines=[(north.bread, 10, None)],
    )
    first = _issue(app, north, [order])
    with tenant_session(app, north.bakery.id) as session:
        customer = customer_row(session, north.customer["id"])
        assert uninvoiced_delivered_orders(session, customer) == []
        void_invoice(
            session,
            tenant_of(session, north.bakery),
            actor=None,
            invoice=get_invoice(session, first),
            reason="Wrong customer",
            now=NOW,
        )
        assert [o.id for o in uninvoiced_delivered_orders(session, customer)] == [order]
    second = _issue(app, north, [order])
    assert _invoice(app, north, first).invoice.status(date(2026, 12, 7)) == "void"
    assert _invoice(app, north, first).invoice.number == "INV-2026-0001"
    assert _invoice(app, north, second).invoice.number == "INV-2026-0002"


@pytest.mark.parametrize(
    ("terms", "due"),
    [
        ("due_on_receipt", date(2026, 12, 7)),
        ("net_7", date(2026, 12, 14)),
        ("net_30", date(2027, 1, 6)),
        ("net_60", date(2027, 2, 5)),
        ("end_of_month", date(2026, 12, 31)),
    ],
)
def test_due_dates_follow_payment_terms(terms, due):
    from billing.terms import due_date

    assert due_date(date(2026, 12, 7), terms) == due


def test_numbers_take_the_prefix_and_restart_each_year(app, shops):
    north, _ = shops
    set_mode(app, north.bakery, "per_delivered_order", invoice_prefix="RR-")
    orders = [
        delivered_order(
            app,
            north.bakery,
            customer_id=north.customer["id"],
            location_id=north.main,
            day=date(2026, 12, 1),
            lines=[(north.bread, 1, None)],
        )
        for _ in range(3)
    ]
    numbers = [
        _invoice(app, north, _issue(app, north, [orders[0]], now=NOW)).invoice.number,
        _invoice(app, north, _issue(app, north, [orders[1]], now=NOW)).invoice.number,
        _invoice(
            app, north, _issue(app, north, [orders[2]], now=datetime(2027, 1, 2, tzinfo=UTC))
        ).invoice.number,
    ]
    assert numbers == ["RR-2026-0001", "RR-2026-0002", "RR-2027-0001"]


def test_without_yearly_reset_numbers_run_on(app, shops):
    north, _ = shops
    set_mode(app, north.bakery, "per_delivered_order", invoice_prefix="B", yearly_reset=False)
    orders = [
        delivered_order(
            app,
            north.bakery,
            customer_id=north.customer["id"],
            location_id=north.main,
            day=date(2026, 12, 1),
            lines=[(north.bread, 1, None)],
        )
        for _ in range(2)
    ]
    first = _invoice(app, north, _issue(app, north, [orders[0]], now=NOW)).invoice.number
    second = _invoice(
        app, north, _issue(app, north, [orders[1]], now=datetime(2027, 1, 2, tzinfo=UTC))
    ).invoice.number
    assert (first, second) == ("B0001", "B0002")
