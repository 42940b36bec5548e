"""Tables of the follow-up features: each customer's reminder time, buyers' "tell me when it is
back" requests, and buyers' ratings of delivered orders.

All tenant-owned, keyed on (tenant_id, id), with composite foreign keys (`models._fk`). Ratings
live in their own table so an order row is never rewritten by feedback.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, Time, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime
from tenants.orders.models import _fk

MAX_COMMENT_LENGTH = 2000


class ReminderSetting(TenantOwned, db.Model):
    """A customer's own weekly reminder time (bakery time); without a row the default applies
    (two days before their next delivery's cut-off, or Sunday 02:00)."""

    __tablename__ = "reminder_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "customer_id"),
        _fk("customer_id", "customers", ondelete="CASCADE"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="reminder_weekday_range"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    weekday: Mapped[int] = mapped_column(Integer, nullable=False)  # Monday = 0
    at: Mapped[time] = mapped_column(Time, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StockRequest(TenantOwned, db.Model):
    """A buyer asked to be told when a product they cannot order now comes back. The row is
    deleted (released) once the email saying so is written."""

    __tablename__ = "stock_requests"
    __table_args__ = (
        UniqueConstraint("tenant_id", "contact_id", "product_id"),
        _fk("contact_id", "contacts", ondelete="CASCADE"),
        _fk("customer_id", "customers", ondelete="CASCADE"),
        _fk("product_id", "products", ondelete="CASCADE"),
        Index("ix_stock_requests_product", "tenant_id", "product_id"),
    )

    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)


class OrderRating(TenantOwned, db.Model):
    """A buyer's rating (1 to 5) and comment on one delivered order; one per order."""

    __tablename__ = "order_ratings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id"),
        _fk("order_id", "orders", ondelete="CASCADE"),
        _fk("customer_id", "customers", ondelete="CASCADE"),
        CheckConstraint("score BETWEEN 1 AND 5", name="rating_score_range"),
        Index("ix_order_ratings_customer", "tenant_id", "customer_id", "updated_at"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    # No foreign key: a contact may be removed later; the rating keeps who gave it by name.
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    score: Mapped[int] = mapped_column(Integer, nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    rated_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
