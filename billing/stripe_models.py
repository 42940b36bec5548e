"""Stored Stripe webhook events: each event id once, then applied by a job.

Two tables because the two endpoints' events belong to different owners. Platform events (the
bakeries' own subscriptions, on the platform account) belong to no bakery: a platform table.
Connect events name a bakery's connected account, so they are that bakery's rows: keyed on
(tenant_id, id), unique per (tenant_id, stripe_event_id), under row-level security like every
tenant-owned table. An account maps to one bakery, so the id is unique in practice too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from config.clock import utcnow
from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime

# pending: stored, not yet applied; applied: its effect is in; ignored: no handler for the type
# (kept, honestly not "applied"); unmatched: names an object of no bakery of ours.
EVENT_STATES = ("pending", "applied", "ignored", "unmatched")


class _EventColumns:
    type: Mapped[str] = mapped_column(String(80), nullable=False)
    # The id of the object the event is about (data.object.id): applying re-reads it.
    object_id: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    # Stripe's `created` of the event, for people reading the log (never used for ordering).
    stripe_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="pending")
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What applying did, in a few words ("subscription active on professional").
    outcome: Mapped[str] = mapped_column(Text, nullable=False, default="")


class StripePlatformEvent(_EventColumns, db.Model):
    """An event of the platform account's endpoint (/webhooks/stripe/platform)."""

    __tablename__ = "stripe_platform_events"
    __table_args__ = (Index("ix_stripe_platform_events_status", "status", "received_at"),)

    id: Mapped[str] = mapped_column(String(100), primary_key=True)  # Stripe's evt_...
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class StripeConnectEvent(_EventColumns, TenantOwned, db.Model):
    """An event of a bakery's connected account (/webhooks/stripe/connect)."""

    __tablename__ = "stripe_connect_events"
    __table_args__ = (
        UniqueConstraint("tenant_id", "stripe_event_id", name="uq_stripe_connect_events_event"),
        Index("ix_stripe_connect_events_status", "tenant_id", "status", "created_at"),
    )

    stripe_event_id: Mapped[str] = mapped_column(String(100), nullable=False)
    account_id: Mapped[str] = mapped_column(String(100), nullable=False)
