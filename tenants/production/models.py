"""Tables of the bakery's day. Both are tenant-owned and key on (tenant_id, id).

- `route_positions`: a delivery location's stop number on the bakery's van route (one row per
  location; a location without a row comes after the numbered ones). Kept here, not on
  `delivery_locations`, because the route is the bakery's dispatch concern, not the customer's
  account data, and only the staff who plan deliveries change it.
- `production_prints`: each time someone printed (downloaded the PDF of) a production sheet or
  the packing slips for a date, so the page can say which orders changed since.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime

PRINT_KINDS = {"sheet": "Production sheet", "slips": "Packing slips"}
# The orders the bakers bake and pack: confirmed and on through the day. Pending review,
# rejected and cancelled orders are not on the sheet or the slips.
COUNTED_STATUSES = ("confirmed", "in_production", "out_for_delivery", "delivered")


class RoutePosition(TenantOwned, db.Model):
    """Where a delivery location comes on the van's route (1 = first stop)."""

    __tablename__ = "route_positions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "location_id"),
        ForeignKeyConstraint(
            ["tenant_id", "location_id"],
            ["delivery_locations.tenant_id", "delivery_locations.id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("position >= 1", name="route_position_positive"),
    )

    location_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ProductionPrint(TenantOwned, db.Model):
    """One print of a day's production sheet or packing slips, and who printed it."""

    __tablename__ = "production_prints"
    __table_args__ = (
        CheckConstraint("kind IN ('sheet', 'slips')", name="production_print_kind"),
        Index("ix_production_prints_day", "tenant_id", "delivery_date", "kind", "printed_at"),
    )

    delivery_date: Mapped[date] = mapped_column(Date, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    printed_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
