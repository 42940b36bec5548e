"""Invoicing jobs: the hourly run that issues what is due, and "invoice on placement".

Both are safe to run twice: an order already on an invoice, or a (customer, period) already
invoiced, is skipped (and the unique keys on invoices back that up).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from billing.invoicing import issue_invoice, live_invoiced_order_ids, run_invoicing
from billing.models import Invoice
from billing.settings import effective_mode
from config.clock import utcnow
from config.extensions import db
from tenants.customers.models import Customer
from tenants.orders.models import Order


def run(tenant, *, period: str) -> int:
    """Issue every invoice due now at `tenant` (hourly, from `jobs.schedule`)."""
    return len(run_invoicing(db.session, tenant, now=utcnow()))


def invoice_placed_order(tenant, order_id: str) -> str:
    """Invoice a just-placed order when its customer is invoiced per order on placement."""
    order = db.session.scalar(select(Order).where(Order.id == uuid.UUID(order_id)))
    if order is None or order.status in ("rejected", "cancelled"):
        return "gone"
    customer = db.session.scalar(select(Customer).where(Customer.id == order.customer_id))
    if effective_mode(db.session, tenant, customer) != "per_order_on_placement":
        return "not-this-mode"
    done = db.session.scalar(select(Invoice.id).where(Invoice.order_id == order.id))
    live = db.session.scalar(
        select(Order.id).where(Order.id == order.id, Order.id.in_(live_invoiced_order_ids()))
    )
    if done or live:
        return "already-invoiced"
    issue_invoice(
        db.session,
        tenant,
        customer=customer,
        orders=[order],
        mode="per_order_on_placement",
        order_key=order,
        now=utcnow(),
    )
    return "invoiced"
