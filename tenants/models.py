"""Platform tables: the bakeries directory and the plan tiers. They carry no tenant_id."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from config.clock import utcnow
from config.extensions import db
from tenants.base import UTCDateTime, new_id

SUBSCRIPTION_STATES = ("trialing", "active", "past_due", "canceled", "unpaid")


class Plan(db.Model):
    """A tier operators define: price, included features and limits (None = unlimited)."""

    __tablename__ = "plans"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    monthly_price_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    price_currency: Mapped[str] = mapped_column(String(3), nullable=False, default="EUR")
    features: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    max_customers: Mapped[int | None] = mapped_column(Integer)
    max_staff_users: Mapped[int | None] = mapped_column(Integer)
    max_products: Mapped[int | None] = mapped_column(Integer)
    # The Stripe Billing price bakeries subscribe to for this tier ("" : not sold through Stripe).
    stripe_price_id: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    # The tier a bakery falls back to when its subscription lapses; exactly one plan has it.
    is_fallback: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    def limit(self, name: str) -> int | None:
        return getattr(self, f"max_{name}")


class Tenant(db.Model):
    """A bakery on the platform, addressed by its slug."""

    __tablename__ = "tenants"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC")
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="EUR")
    locale: Mapped[str] = mapped_column(String(16), nullable=False, default="en_GB")
    contact_email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    address: Mapped[str] = mapped_column(Text, nullable=False, default="")
    brand_colour: Mapped[str] = mapped_column(String(7), nullable=False, default="#8a5a2b")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_content_type: Mapped[str | None] = mapped_column(String(40))
    order_approval_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    # Subscription state (Stripe Billing keeps it current); the effective tier derives from it.
    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("plans.id"), nullable=False)
    subscription_status: Mapped[str] = mapped_column(String(20), nullable=False)
    trial_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    past_due_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An operator's override of the tier, until an expiry.
    override_plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("plans.id"))
    override_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # Until the owner who signed up confirms their address, the bakery mails nobody else.
    owner_email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Stripe, kept in step by billing/ (webhooks and the nightly reconcile). They live on the
    # directory row because a webhook names a customer or connected account before anyone
    # knows which bakery it is for: the look-up must work with no bakery bound.
    stripe_customer_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(100))
    # Stripe's own word for the subscription ("incomplete", "paused", ...), for operators.
    stripe_subscription_status: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    current_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    stripe_account_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    # "" (not connected), "onboarding", "active" or "restricted"; what Stripe still asks for.
    stripe_account_status: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    stripe_account_due: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    stripe_account_disconnected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changes (a new random value) whenever the bakery's catalog, prices or assortments change:
    # database triggers keep it (migrations/catalog_stamp.py), the catalog memo reads it
    # (tenants/catalog/memo.py). Deferred: nothing else needs it, and no code writes it.
    catalog_stamp: Mapped[str] = mapped_column(
        String(32), nullable=False, server_default="", deferred=True
    )

    plan: Mapped[Plan] = relationship(foreign_keys=[plan_id], lazy="joined")
    override_plan: Mapped[Plan | None] = relationship(
        foreign_keys=[override_plan_id], lazy="joined"
    )

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None
