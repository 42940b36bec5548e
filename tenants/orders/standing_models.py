"""Standing-order tables. Every one is tenant-owned and keys on (tenant_id, id); references carry
tenant_id, so a standing order can never point at another bakery's customer, place or product.

- `standing_orders`: the template: one customer, one delivery location, one weekday, every N
  weeks from `starts_on` (a date on that weekday) until the optional `ends_on`.
- `standing_order_lines`: its products and quantities, with the unit price the buyer last saw
  (so a price change is reported, never silent).
- `standing_order_pauses`: date ranges in which no occurrence is placed.
- `standing_occurrences`: one row per (standing order, scheduled delivery date) once anything
  happened to that week: skipped, changed for that week only, previewed, placed, or failed. The
  unique key (tenant_id, standing_order_id, delivery_date) is what makes the generator place
  each occurrence once however often (and however many workers) run it.
- `standing_settings`: the bakery's choices (closure policy, preview lead time), one row.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime

MAX_EVERY_WEEKS = 8
MAX_NAME_LENGTH = 80
# Occurrence states kept in a row (weeks nothing happened to have no row and are "scheduled").
OCCURRENCE_STATES = ("scheduled", "skipped", "generated", "failed")
CLOSURE_POLICIES = {
    "move": "Move it to the previous delivery day",
    "skip": "Skip that delivery",
}
DEFAULT_PREVIEW_DAYS = 2


def _fk(column: str, target: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A composite foreign key (tenant_id, column) -> target (tenant_id, id)."""
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{target}.tenant_id", f"{target}.id"], ondelete=ondelete
    )


class StandingOrder(TenantOwned, db.Model):
    """A recurring order template. `ends_on` before today means it has ended (ending one
    whose first delivery is still to come sets it before `starts_on`: no occurrences at all).
    `placed_by_contact_id` names the buyer who set it up (None: the bakery did)."""

    __tablename__ = "standing_orders"
    __table_args__ = (
        _fk("customer_id", "customers", ondelete="CASCADE"),
        _fk("location_id", "delivery_locations", ondelete="CASCADE"),
        _fk("placed_by_contact_id", "contacts", ondelete="SET NULL"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="standing_weekday_range"),
        CheckConstraint(f"every_weeks BETWEEN 1 AND {MAX_EVERY_WEEKS}", name="standing_every"),
        Index("ix_standing_orders_customer", "tenant_id", "customer_id"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    location_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH), nullable=False, default="")
    weekday: Mapped[int] = mapped_column(Integer, nullable=False)  # Monday = 0
    every_weeks: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    placed_by_contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # Occurrences whose cut-off came before this instant are never generated: a standing order
    # made (or restarted) today does not place last week's delivery.
    active_from: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class StandingOrderLine(TenantOwned, db.Model):
    """One product of a standing order, and the unit price the buyer was last shown."""

    __tablename__ = "standing_order_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "standing_order_id", "product_id"),
        _fk("standing_order_id", "standing_orders", ondelete="CASCADE"),
        _fk("product_id", "products", ondelete="CASCADE"),
        CheckConstraint("quantity >= 1", name="standing_quantity_positive"),
    )

    standing_order_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_unit_price_minor: Mapped[int | None] = mapped_column(Integer)


class StandingPause(TenantOwned, db.Model):
    """No occurrence of the standing order is placed from `first_day` to `last_day`."""

    __tablename__ = "standing_order_pauses"
    __table_args__ = (
        _fk("standing_order_id", "standing_orders", ondelete="CASCADE"),
        CheckConstraint("last_day >= first_day", name="standing_pause_order"),
        Index("ix_standing_order_pauses_order", "tenant_id", "standing_order_id"),
    )

    standing_order_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    first_day: Mapped[date] = mapped_column(Date, nullable=False)
    last_day: Mapped[date] = mapped_column(Date, nullable=False)
    created_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class StandingOccurrence(TenantOwned, db.Model):
    """What happened to one week of a standing order (its scheduled `delivery_date`).

    `lines_override` ([[product id, quantity], ...]) replaces the template's lines for this week
    only. `order_id` is the order it became; `problems` ([{kind, ...}]) what the generator or the
    preview reported (unavailable items, price changes, minimum shortfall, closure moves).
    """

    __tablename__ = "standing_occurrences"
    __table_args__ = (
        UniqueConstraint("tenant_id", "standing_order_id", "delivery_date"),
        _fk("standing_order_id", "standing_orders", ondelete="CASCADE"),
        _fk("order_id", "orders"),  # orders are never deleted, only cancelled
        CheckConstraint(
            "status IN ('scheduled', 'skipped', 'generated', 'failed')",
            name="standing_occurrence_status",
        ),
        Index("ix_standing_occurrences_status", "tenant_id", "status"),
    )

    standing_order_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    delivery_date: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="scheduled")
    lines_override: Mapped[list | None] = mapped_column(JSON)
    skipped_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    skipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    preview_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    placed_on: Mapped[date | None] = mapped_column(Date)  # the date delivered (after a move)
    generated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    problems: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    failure: Mapped[str] = mapped_column(Text, nullable=False, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class StandingSettings(TenantOwned, db.Model):
    """A bakery's standing-order choices (one row; absent means the defaults)."""

    __tablename__ = "standing_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id"),
        CheckConstraint("closure_policy IN ('move', 'skip')", name="standing_closure_policy"),
        CheckConstraint("preview_days BETWEEN 0 AND 7", name="standing_preview_days"),
    )

    closure_policy: Mapped[str] = mapped_column(String(8), nullable=False, default="move")
    preview_days: Mapped[int] = mapped_column(Integer, nullable=False, default=DEFAULT_PREVIEW_DAYS)
