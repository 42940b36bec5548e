"""What was actually delivered: shorts, returns and substitutions recorded per order line.

Staff record them after delivery and before invoicing ("ordered 20, delivered 18"). The order's
own lines keep what was ordered and priced at placement; these rows say what changed at the
door, and invoices are made from both (`tenants.orders.delivery.delivered_lines`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime

KINDS = {
    "short": "Short",  # fewer delivered than ordered
    "return": "Returned",  # delivered, then taken back (stale, damaged)
    "substitution": "Substituted",  # another product delivered instead, at its own price
}


class DeliveryAdjustment(TenantOwned, db.Model):
    """One change at delivery to an order: `quantity` units of `order_line_id` short or
    returned, or (`substitution`) `quantity` units of another product delivered with its own
    frozen price, optionally in place of `order_line_id`."""

    __tablename__ = "delivery_adjustments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["tenant_id", "order_line_id"],
            ["order_lines.tenant_id", "order_lines.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(["tenant_id", "product_id"], ["products.tenant_id", "products.id"]),
        CheckConstraint("quantity >= 1", name="adjustment_quantity_positive"),
        CheckConstraint("kind IN ('short', 'return', 'substitution')", name="adjustment_kind"),
        Index("ix_delivery_adjustments_order", "tenant_id", "order_id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    order_line_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    # A substitution's product and frozen price (empty for shorts and returns).
    product_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    sku: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    product_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    unit: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    base_price_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    unit_price_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False, default=Decimal(0))
    reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    recorded_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
