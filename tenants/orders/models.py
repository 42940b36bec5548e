"""Ordering tables. Every one is tenant-owned and keys on (tenant_id, id); references to other
tenant-owned rows carry tenant_id, so an order can never point at another bakery's customer,
location, contact or product.

Ids in URLs are the random UUIDs of `TenantOwned`; the people-facing order number is a per-bakery
sequence kept in `order_counters` (one row per bakery, bumped atomically inside the placing
transaction, so numbers are consecutive and never shared even under concurrent checkouts).
Money is integer minor units of the bakery's currency; tax rates are Decimal percentages.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime

# Where an order came from. `standing_order` arrives with the standing-orders issue.
# Labels are lazy: each page or email shows them in its own language (buyers' in the bakery's).
SOURCES = {
    "wholesale_portal": _l("Wholesale portal"),
    "staff": _l("Entered by staff"),
    "standing_order": _l("Standing order"),
}
STATUSES = {
    "awaiting_payment": _l("Awaiting payment"),
    "pending_review": _l("Waiting for review"),
    "confirmed": _l("Confirmed"),
    "in_production": _l("In production"),
    "out_for_delivery": _l("Out for delivery"),
    "delivered": _l("Delivered"),
    "rejected": _l("Rejected"),
    "cancelled": _l("Cancelled"),
}


def status_text(status: str) -> str:
    """A status for people, in the current page's or email's language ('Bestätigt')."""
    return str(STATUSES.get(status, status))


# How an order is paid: on the customer's account (invoiced later), or by card at checkout.
PAYMENT_METHODS = ("account", "card")
# Statuses in which the buyer may still edit or cancel (before the cut-off). An order awaiting
# its card payment is not open: it is paid or released, never edited.
OPEN_STATUSES = ("pending_review", "confirmed")
MAX_PO_LENGTH = 40
MAX_NOTES_LENGTH = 1000


def _fk(column: str, target: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A composite foreign key (tenant_id, column) -> target (tenant_id, id)."""
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{target}.tenant_id", f"{target}.id"], ondelete=ondelete
    )


class DeliveryDay(TenantOwned, db.Model):
    """A weekday the bakery delivers on, and its cut-off: orders for that day close
    `cutoff_days_before` days earlier at `cutoff_time`, in the bakery's timezone."""

    __tablename__ = "delivery_days"
    __table_args__ = (
        UniqueConstraint("tenant_id", "weekday"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("cutoff_days_before BETWEEN 0 AND 14", name="cutoff_days_range"),
    )

    weekday: Mapped[int] = mapped_column(Integer, nullable=False)  # Monday = 0
    cutoff_days_before: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    cutoff_time: Mapped[time] = mapped_column(Time, nullable=False)


class Closure(TenantOwned, db.Model):
    """Days the bakery does not deliver (a holiday, a week off), with the reason buyers see."""

    __tablename__ = "delivery_closures"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="closure_order"),
        Index("ix_delivery_closures_days", "tenant_id", "last_day"),
    )

    first_day: Mapped[date] = mapped_column(Date, nullable=False)
    last_day: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)


class Cart(TenantOwned, db.Model):
    """A contact's cart, kept on the server: it survives sign-out and another device."""

    __tablename__ = "carts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "contact_id"),
        _fk("contact_id", "contacts", ondelete="CASCADE"),
        _fk("customer_id", "customers", ondelete="CASCADE"),
    )

    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CartLine(TenantOwned, db.Model):
    """One product and quantity in a cart (one line per product)."""

    __tablename__ = "cart_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "cart_id", "product_id"),
        _fk("cart_id", "carts", ondelete="CASCADE"),
        _fk("product_id", "products", ondelete="CASCADE"),
        CheckConstraint("quantity >= 1", name="cart_quantity_positive"),
    )

    cart_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class OrderCounter(TenantOwned, db.Model):
    """The last order number a bakery handed out (one row per bakery)."""

    __tablename__ = "order_counters"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    last_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Order(TenantOwned, db.Model):
    """An order for one customer, one delivery location and one delivery date.

    `version` is bumped by every change (compare-and-set in SQL), so two people editing the same
    order cannot overwrite each other; `updated_by_name`/`updated_at` name who changed it last.
    `idempotency_key` comes from the checkout form: a double submit finds the first order.
    """

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        UniqueConstraint("tenant_id", "idempotency_key"),
        _fk("customer_id", "customers"),
        _fk("location_id", "delivery_locations"),
        _fk("placed_by_contact_id", "contacts", ondelete="SET NULL"),
        _fk("placed_by_staff_id", "staff_users", ondelete="SET NULL"),
        CheckConstraint("number >= 1", name="order_number_positive"),
        CheckConstraint("version >= 1", name="order_version_positive"),
        Index("ix_orders_customer_date", "tenant_id", "customer_id", "delivery_date"),
        Index("ix_orders_date_status", "tenant_id", "delivery_date", "status"),
    )

    number: Mapped[int] = mapped_column(Integer, nullable=False)
    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    location_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    placed_by_contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    placed_by_staff_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    placed_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    delivery_date: Mapped[date] = mapped_column(Date, nullable=False)
    po_number: Mapped[str] = mapped_column(String(MAX_PO_LENGTH), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    subtotal_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tax_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rejection_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    payment_method: Mapped[str] = mapped_column(
        String(10), nullable=False, default="account", server_default="account"
    )
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_label(self) -> str:
        return status_text(self.status)


class OrderLine(TenantOwned, db.Model):
    """One product on an order, with the price frozen at placement: the unit price, the rule
    that gave it (base, list or break, from which list) and the tax."""

    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id", "product_id"),
        _fk("order_id", "orders", ondelete="CASCADE"),
        _fk("product_id", "products"),
        CheckConstraint("quantity >= 1", name="order_quantity_positive"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    sku: Mapped[str] = mapped_column(String(64), nullable=False)
    product_name: Mapped[str] = mapped_column(String(200), nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    base_price_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    line_total_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    price_rule: Mapped[str] = mapped_column(String(10), nullable=False)  # base|list|break
    price_source: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    price_detail: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    # No foreign key: the list may be deleted later, the frozen price stays explained.
    price_list_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    tax_minor: Mapped[int] = mapped_column(Integer, nullable=False)


class OrderEvent(TenantOwned, db.Model):
    """One entry of an order's timeline: placed, a status change, an edit, a cut-off override."""

    __tablename__ = "order_events"
    __table_args__ = (
        _fk("order_id", "orders", ondelete="CASCADE"),
        Index("ix_order_events_order_at", "tenant_id", "order_id", "at"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    from_status: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    to_status: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    actor_kind: Mapped[str] = mapped_column(String(10), nullable=False)  # staff|contact|system
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
