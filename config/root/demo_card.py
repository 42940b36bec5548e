"""Demo: card now at checkout. Rosemary & Rye offers both on account and card now; Corner Deli
gets the portal with one buyer (Dev Patel, orders@corner-deli.example, password as every demo
sign-in) whose latest order waits for its card payment (placed ten minutes ago, its invoice
issued and not yet emailed), so the "Awaiting payment" state shows on the orders pages and the
home page. Corner Deli, not Café Aurora: an invoice issued for Aurora would take the credit on
account that its receivables story shows.

Without Stripe keys (the embedded default) checkout offers on account only and the order can
only be cancelled; the hourly sweep releases it once its payment window has passed, as it
would any abandoned payment. Runs once: a bakery with a card order is left as it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from config.clock import utcnow
from config.root.demo_orders import USUAL, _forget_mail, _locations, _queued


def seed_demo_card_now(session, tenant, *, password_hash: str, now: datetime | None = None):
    """Offer card now at Rosemary & Rye and leave one of Corner Deli's orders awaiting its card
    payment (once)."""
    from billing.card_checkout import issue_card_invoice, set_checkout_payment
    from tenants.catalog.models import Product
    from tenants.customers.models import Customer
    from tenants.errors import DomainError
    from tenants.orders.calendar import delivery_calendar
    from tenants.orders.models import Order
    from tenants.orders.placement import place_order

    now = now or utcnow()
    customer = session.scalar(select(Customer).where(Customer.business_name == "Corner Deli"))
    if customer is None or session.scalar(
        select(Order.id).where(Order.payment_method == "card").limit(1)
    ):
        return
    set_checkout_payment(session, tenant, actor=None, choice="both")
    contact = _deli_buyer(session, tenant, customer, password_hash)
    skus = {sku for sku, _ in USUAL}
    products = {p.sku: p.id for p in session.scalars(select(Product).where(Product.sku.in_(skus)))}
    lines = [(products[sku], qty) for sku, qty in USUAL if sku in products]
    at = now - timedelta(minutes=10)
    calendar = delivery_calendar(
        session, tenant, customer=customer, product_ids=[pid for pid, _ in lines], now=at
    )
    if not calendar.orderable or not lines:
        return
    queued_before = _queued(session)
    try:
        with session.begin_nested():
            order = place_order(
                session,
                tenant,
                customer=customer,
                actor=contact,
                lines=lines,
                location_id=next(iter(_locations(session, customer).values())).id,
                delivery_date=calendar.orderable[-1],
                allow_second_order=True,
                pay_by_card=True,
                now=at,
            ).order
            issue_card_invoice(session, tenant, order=order, customer=customer, now=at)
    except DomainError:
        return  # a calendar that refuses today (a closure, say): no card order in the demo
    _forget_mail(session, queued_before)
    session.flush()


def _deli_buyer(session, tenant, customer, password_hash: str):
    """Corner Deli's portal and its buyer, active (as if they had accepted the invitation)."""
    from tenants.customers import contacts, services

    services.set_portal_enabled(session, tenant, actor=None, customer=customer, enabled=True)
    buyer = contacts.save_contact(
        session,
        tenant,
        actor=None,
        customer=customer,
        first_name="Dev",
        last_name="Patel",
        email="orders@corner-deli.example",
        grants={"view_orders", "create_orders", "view_invoices"},
    )
    buyer.password_hash = password_hash
    buyer.status = "active"
    session.flush()
    return buyer
