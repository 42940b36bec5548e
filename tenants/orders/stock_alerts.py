"""Back in stock: a buyer asks to be told when a product they cannot order comes back.

A product is "away" for a customer when it is withdrawn (inactive; offered only if the customer
ordered it before, so test or retired items never show), outside its season today, or marked
sold out on the customer's next orderable delivery date. It is "back" when none of that holds.

`send_back_in_stock` (run hourly by `jobs.stock_alerts.run`) writes ONE email per contact
listing every product of theirs that came back, and deletes (releases) those requests in the
same transaction, so each request fires once and a buyer is not flooded with one mail each.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, true

from config.clock import bakery_today
from tenants.catalog.models import AssortmentItem, Product, SoldOut
from tenants.customers.models import Contact, Customer
from tenants.errors import NotFound, ValidationFailed
from tenants.orders.access import authorize
from tenants.orders.calendar import delivery_calendar
from tenants.orders.followup_models import StockRequest
from tenants.orders.models import Order, OrderLine
from tenants.orders.pricing import orderable_products
from tenants.outbox import queue_email

TEMPLATE = "back_in_stock"
MAX_REQUESTS_PER_CONTACT = 200


@dataclass(frozen=True)
class AwayProduct:
    """A product the customer cannot order now, why, and whether this contact asked."""

    product: Product
    reason: str  # "withdrawn" | "out_of_season" | "sold_out"
    requested: bool


def _next_day(session, tenant, customer, now: datetime) -> date | None:
    return delivery_calendar(session, tenant, customer=customer, now=now).earliest


def _assortment_filter(customer):
    if customer.assortment_id is None:
        return true()
    return Product.id.in_(
        select(AssortmentItem.product_id).where(
            AssortmentItem.assortment_id == customer.assortment_id
        )
    )


def _reason(product: Product, today: date, sold_out: set) -> str | None:
    if not product.active:
        return "withdrawn"
    if not product.in_season(today):
        return "out_of_season"
    if product.id in sold_out:
        return "sold_out"
    return None


def away_products(session, tenant, *, contact, customer, now: datetime) -> list[AwayProduct]:
    """The products `customer` cannot order now and may ask about (see the module docstring).
    A constant number of queries."""
    authorize(tenant, contact, customer, "view_orders", now=now)
    today = bakery_today(tenant, now)
    day = _next_day(session, tenant, customer, now)
    ordered_before = (
        select(OrderLine.product_id)
        .join(Order, (Order.tenant_id == OrderLine.tenant_id) & (Order.id == OrderLine.order_id))
        .where(Order.customer_id == customer.id)
    )
    sold_out_ids = select(SoldOut.product_id).where(SoldOut.day == day) if day else None
    candidates = (Product.active.is_(False) & Product.id.in_(ordered_before)) | (
        Product.active.is_(True) & ~Product.in_season(today)
    )
    if sold_out_ids is not None:
        candidates = candidates | (Product.active.is_(True) & Product.id.in_(sold_out_ids))
    products = list(
        session.scalars(
            select(Product).where(candidates, _assortment_filter(customer)).order_by(Product.name)
        )
    )
    sold_out = set(session.scalars(sold_out_ids)) if sold_out_ids is not None else set()
    asked = set(
        session.scalars(
            select(StockRequest.product_id).where(StockRequest.contact_id == contact.id)
        )
    )
    result = []
    for product in products:
        reason = _reason(product, today, sold_out)
        if reason:
            result.append(AwayProduct(product, reason, product.id in asked))
    return result


def set_request(
    session, tenant, *, contact, customer, product_id, wanted: bool, now: datetime
) -> bool:
    """Ask (or stop asking) to be told when a product comes back; returns whether a request
    is now open. Only a product that is away for the customer can be asked about."""
    try:
        pid = uuid.UUID(str(product_id))
    except ValueError as exc:
        raise NotFound("No such product.") from exc
    product = session.scalar(select(Product).where(Product.id == pid))
    if product is None:
        raise NotFound("No such product.")  # another bakery's answers like a missing one
    existing = session.scalar(
        select(StockRequest).where(
            StockRequest.contact_id == contact.id, StockRequest.product_id == pid
        )
    )
    if not wanted:
        if existing is not None:
            session.delete(existing)
            session.flush()
        return False
    away = {
        a.product.id
        for a in away_products(session, tenant, contact=contact, customer=customer, now=now)
    }
    if pid not in away:
        if pid not in orderable_products(session, customer, [pid]):
            # Withdrawn and never ordered here, or outside the customer's assortment: as if
            # it did not exist, so the page reveals nothing the catalog would not.
            raise NotFound("No such product.")
        raise ValidationFailed("That product can be ordered now.", field="product")
    if existing is None:
        session.add(
            StockRequest(
                tenant_id=tenant.id, contact_id=contact.id, customer_id=customer.id, product_id=pid
            )
        )
        session.flush()
    return True


def send_back_in_stock(session, tenant, *, now: datetime) -> int:
    """One email per contact listing every requested product that is back; releases those
    requests. Returns how many emails were written."""
    requests = list(session.scalars(select(StockRequest)))
    if not requests:
        return 0
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_({r.product_id for r in requests}))
        )
    }
    customers = {
        c.id: c
        for c in session.scalars(
            select(Customer).where(Customer.id.in_({r.customer_id for r in requests}))
        )
    }
    contacts = {
        c.id: c
        for c in session.scalars(
            select(Contact).where(Contact.id.in_({r.contact_id for r in requests}))
        )
    }
    today = bakery_today(tenant, now)
    back_by_contact: dict = defaultdict(list)
    for customer_id, rows in _by_customer(requests).items():
        customer = customers[customer_id]
        day = _next_day(session, tenant, customer, now)
        sold_out = (
            set(
                session.scalars(
                    select(SoldOut.product_id).where(
                        SoldOut.day == day, SoldOut.product_id.in_({r.product_id for r in rows})
                    )
                )
            )
            if day
            else set()
        )
        for row in rows:
            product = products.get(row.product_id)
            if product is not None and day is not None and not _reason(product, today, sold_out):
                back_by_contact[row.contact_id].append((row, product))
    written = 0
    for contact_id, found in back_by_contact.items():
        contact = contacts.get(contact_id)
        if contact is not None and contact.is_active:
            queue_email(
                session,
                tenant,
                to_email=contact.email,
                to_name=contact.name,
                template=TEMPLATE,
                context={
                    "name": contact.first_name,
                    "products": sorted(p.name for _, p in found),
                    "catalog_path": f"/wholesale/{tenant.slug}/catalog",
                },
                now=now,
            )
            written += 1
        session.execute(delete(StockRequest).where(StockRequest.id.in_([r.id for r, _ in found])))
    session.flush()
    return written


def _by_customer(requests) -> dict:
    grouped: dict = defaultdict(list)
    for row in requests:
        grouped[row.customer_id].append(row)
    return grouped
