"""Issuing invoices from delivered orders: one order, a customer's period, or on demand.

`issue_invoice` is the one writer: it numbers the invoice, freezes the delivered lines and the
bill-to details, links the orders (an order is on one live invoice at most: a partial unique
index backs the check) and queues the email to the customer's billing contacts. The periodic
run (`run_invoicing`, hourly from `jobs.invoicing`) and staff's "invoice now" call it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import insert, select

from billing import notify
from billing.errors import NothingToInvoice
from billing.models import CustomerBilling, Invoice, InvoiceLine, InvoiceOrder
from billing.numbering import take_number
from billing.payments import apply_account_credit
from billing.periods import Period, last_closed_period, period_of
from billing.settings import customer_billing, get_settings
from billing.terms import due_date
from billing.totals import priced_line
from config.clock import bakery_today, utcnow
from tenants.actors import as_actor, require
from tenants.base import new_id
from tenants.customers.models import Customer, DeliveryLocation
from tenants.orders.delivery import delivered_lines, delivered_orders
from tenants.orders.models import Order

CONSOLIDATED = ("consolidated_weekly", "consolidated_monthly")
PER_ORDER = ("per_order_on_placement", "per_delivered_order")
# Orders a per-order-on-placement bakery invoices: placed and not turned down.
PLACED_STATUSES = ("pending_review", "confirmed", "in_production", "out_for_delivery", "delivered")


def live_invoiced_order_ids():
    """A subquery of the ids of orders on a live (not voided) invoice."""
    return select(InvoiceOrder.order_id).where(InvoiceOrder.released.is_(False))


def _shared(values):
    """The one value all of `values` share, or None."""
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def issue_invoice(
    session,
    tenant,
    *,
    customer: Customer,
    orders: list[Order],
    actor=None,
    mode: str,
    period: Period | None = None,
    order_key: Order | None = None,
    lines_by_order: dict | None = None,
    payment_terms: str | None = None,
    notify_customer: bool = True,
    now: datetime | None = None,
) -> Invoice:
    """Issue one invoice to `customer` for `orders` (what was delivered on them); flushes.

    `period` (consolidated) or `order_key` (per order) make it once-only by the unique keys.
    `lines_by_order` lets a batch pass lines it loaded for many invoices at once.
    `payment_terms` overrides the customer's (card now: due on receipt); `notify_customer`
    False holds the email back (card now sends it once the invoice is paid).
    """
    require(actor, "invoices", message="You don't have permission to issue invoices.")
    now = now or utcnow()
    if not orders:
        raise NothingToInvoice("There are no delivered orders to invoice.")
    if any(order.customer_id != customer.id for order in orders):
        raise ValueError("every order must be the customer's")
    if lines_by_order is None:
        lines_by_order = delivered_lines(session, orders)
    settings = get_settings(session, tenant)
    issue_day = bakery_today(tenant, now)
    number, sequence = take_number(
        session, tenant, settings, series="invoice", issue_date=issue_day, now=now
    )
    billing = customer_billing(session, customer)
    terms = payment_terms or customer.payment_terms
    invoice = Invoice(
        tenant_id=tenant.id,
        number=number,
        sequence=sequence,
        customer_id=customer.id,
        location_id=_shared(o.location_id for o in orders),
        placed_by_contact_id=_shared(o.placed_by_contact_id for o in orders),
        order_id=order_key.id if order_key is not None else None,
        mode=mode,
        period_key=period.key if period else None,
        period_start=period.start if period else min(o.delivery_date for o in orders),
        period_end=period.end if period else max(o.delivery_date for o in orders),
        currency=orders[0].currency,
        payment_terms=terms,
        issued_at=now,
        issue_date=issue_day,
        due_date=due_date(issue_day, terms),
        issued_by_name=as_actor(actor).name,
        bill_to_name=customer.business_name,
        bill_to_address=billing.billing_address if billing else "",
        bill_to_tax_number=customer.tax_number,
        bill_to_email=customer.billing_email,
    )
    session.add(invoice)
    session.flush()
    _add_orders_and_lines(session, tenant, invoice, orders, lines_by_order)
    # Credit the customer holds on account (an overpayment) pays the new invoice first.
    apply_account_credit(session, tenant, invoice, actor=actor, now=now)
    if notify_customer:
        notify.invoice_issued(session, tenant, invoice=invoice, customer=customer, now=now)
    return invoice


def _add_orders_and_lines(session, tenant, invoice, orders, lines_by_order) -> None:
    locations = {
        loc.id: loc
        for loc in session.scalars(
            select(DeliveryLocation).where(DeliveryLocation.id.in_({o.location_id for o in orders}))
        )
    }
    subtotal = tax = discount = 0
    position = 0
    # Plain rows in two bulk inserts: a month-end run writes tens of thousands of lines, and
    # ORM objects (built, tracked and flushed one by one) cost most of its time.
    order_rows, line_rows = [], []
    for order in orders:
        location = locations.get(order.location_id)
        order_rows.append(
            {
                "tenant_id": tenant.id,
                "id": new_id(),
                "invoice_id": invoice.id,
                "order_id": order.id,
                "order_number": order.number,
                "delivery_date": order.delivery_date,
                "po_number": order.po_number,
                "location_name": location.name if location else "",
                "location_address": location.address if location else "",
                "released": False,
                "created_at": invoice.issued_at,
            }
        )
        for line in lines_by_order.get(order.id, []):
            amount, line_tax_minor = priced_line(
                line.quantity, line.unit_price_minor, line.tax_rate
            )
            subtotal += amount
            tax += line_tax_minor
            discount += max(0, line.base_price_minor - line.unit_price_minor) * line.quantity
            position += 1
            line_rows.append(
                {
                    "tenant_id": tenant.id,
                    "id": new_id(),
                    "invoice_id": invoice.id,
                    "position": position,
                    "order_id": order.id,
                    "order_number": order.number,
                    "sku": line.sku,
                    "description": line.name,
                    "unit": line.unit,
                    "quantity_ordered": line.quantity_ordered,
                    "quantity": line.quantity,
                    "base_price_minor": line.base_price_minor,
                    "unit_price_minor": line.unit_price_minor,
                    "line_total_minor": amount,
                    "tax_rate": line.tax_rate,
                    "tax_minor": line_tax_minor,
                    "note": line.note,
                    "created_at": invoice.issued_at,
                }
            )
    session.execute(insert(InvoiceOrder), order_rows)
    if line_rows:
        session.execute(insert(InvoiceLine), line_rows)
    invoice.subtotal_minor, invoice.tax_minor = subtotal, tax
    invoice.total_minor, invoice.discount_minor = subtotal + tax, discount
    session.flush()


def uninvoiced_delivered_orders(session, customer) -> list[Order]:
    """A customer's delivered orders not on any live invoice, oldest first."""
    return delivered_orders(session, customer_id=customer.id, exclude=live_invoiced_order_ids())


def invoice_customer_now(session, tenant, *, customer, actor, now=None) -> Invoice:
    """Staff's "invoice now": one invoice for all the customer's uninvoiced delivered orders."""
    require(actor, "invoices", message="You don't have permission to issue invoices.")
    orders = uninvoiced_delivered_orders(session, customer)
    return issue_invoice(
        session, tenant, customer=customer, orders=orders, actor=actor, mode="on_demand", now=now
    )


def _modes(session, tenant, customers) -> dict:
    """{customer id: invoicing mode} in one query."""
    default = get_settings(session, tenant).invoicing_mode
    own = {
        row.customer_id: row.invoicing_mode
        for row in session.scalars(select(CustomerBilling))
        if row.invoicing_mode
    }
    return {c.id: own.get(c.id, default) for c in customers}


def run_invoicing(session, tenant, *, now: datetime | None = None) -> list[Invoice]:
    """Issue every invoice that is due at `now`: per-order invoices for orders placed or
    delivered, consolidated ones for periods that have ended at the bakery. Safe to repeat:
    an order or (customer, period) already invoiced is skipped."""
    now = now or utcnow()
    customers = {c.id: c for c in session.scalars(select(Customer))}
    modes = _modes(session, tenant, customers.values())
    keyed = set(session.scalars(select(Invoice.order_id).where(Invoice.order_id.is_not(None))))
    done_periods = set(
        session.execute(
            select(Invoice.customer_id, Invoice.period_key).where(Invoice.period_key.is_not(None))
        ).all()
    )
    free = live_invoiced_order_ids()
    issued: list[Invoice] = []

    placed = [
        o
        for o in session.scalars(
            select(Order)
            .where(Order.status.in_(PLACED_STATUSES), Order.id.not_in(free))
            .order_by(Order.placed_at, Order.number)
        )
        if modes.get(o.customer_id) == "per_order_on_placement" and o.id not in keyed
    ]
    delivered = delivered_orders(session, exclude=free)
    per_delivery = [
        o
        for o in delivered
        if modes.get(o.customer_id) == "per_delivered_order" and o.id not in keyed
    ]
    batch = placed + per_delivery
    lines = delivered_lines(session, batch)
    for order in batch:
        issued.append(
            issue_invoice(
                session,
                tenant,
                customer=customers[order.customer_id],
                orders=[order],
                mode=modes[order.customer_id],
                order_key=order,
                lines_by_order=lines,
                now=now,
            )
        )

    groups: dict[tuple, list[Order]] = defaultdict(list)
    for order in delivered:
        mode = modes.get(order.customer_id)
        if mode not in CONSOLIDATED:
            continue
        closed = last_closed_period(mode, tenant, now)
        if order.delivery_date > closed.end:
            continue  # its period is still running
        period = period_of(mode, order.delivery_date)
        if (order.customer_id, period.key) not in done_periods:
            groups[(order.customer_id, mode, period)].append(order)
    lines = delivered_lines(session, [o for group in groups.values() for o in group])
    for (customer_id, mode, period), orders in sorted(
        groups.items(), key=lambda item: (item[0][2].start, customers[item[0][0]].name_key)
    ):
        issued.append(
            issue_invoice(
                session,
                tenant,
                customer=customers[customer_id],
                orders=orders,
                mode=mode,
                period=period,
                lines_by_order=lines,
                now=now,
            )
        )
    return issued
