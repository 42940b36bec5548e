"""Customer accounts, their delivery locations, contacts (portal buyers) and activity log.

Every table is tenant-owned and keys on (tenant_id, id); references between them carry tenant_id,
so a contact can never point at another bakery's customer or location.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime
from tenants.customers import permissions
from tenants.passwords import session_stamp
from tenants.staff.permissions import PERMISSIONS as STAFF_PERMISSIONS
from tenants.text_keys import fold_key

PAYMENT_TERMS = {
    "due_on_receipt": "Due on receipt",
    "net_7": "Net 7 days",
    "net_14": "Net 14 days",
    "net_30": "Net 30 days",
    "net_60": "Net 60 days",
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ACCESS_LEVELS = {
    "individual": _l("Individual: orders they placed"),
    "location": _l("Location: orders for their assigned location"),
    "organization": _l("Organization: all the account's orders"),
}
CONTACT_STATES = ("not_invited", "invited", "active", "disabled")


class Customer(TenantOwned, db.Model):
    """A wholesale business that buys from the bakery."""

    __tablename__ = "customers"
    __table_args__ = (
        # Names compare case-folded (tenants.text_keys): "Ökobäckerei" is "ökobäckerei".
        UniqueConstraint("tenant_id", "name_key"),
        # Pricing (tenants.catalog): the customer's price list and assortment, if any.
        ForeignKeyConstraint(
            ["tenant_id", "price_list_id"], ["price_lists.tenant_id", "price_lists.id"]
        ),
        ForeignKeyConstraint(
            ["tenant_id", "assortment_id"], ["assortments.tenant_id", "assortments.id"]
        ),
    )

    business_name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_key: Mapped[str] = mapped_column(String(200), nullable=False)
    trading_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    tax_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    billing_email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")
    portal_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    payment_terms: Mapped[str] = mapped_column(String(20), nullable=False, default="net_14")
    # Ordering settings are separate from portal access: a contact may sign in but not order.
    may_order_online: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    minimum_order_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Weekday numbers, Monday = 0; empty means any day the bakery delivers.
    delivery_weekdays: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    order_approval_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    standing_orders_allowed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    suspended_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Pricing (set by tenants.customers.pricing.assign_pricing): none = the default list and
    # the full active catalog.
    price_list_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    assortment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    price_list = relationship(
        "PriceList",
        primaryjoin="and_(Customer.tenant_id == PriceList.tenant_id, "
        "Customer.price_list_id == PriceList.id)",
        foreign_keys="[Customer.tenant_id, Customer.price_list_id]",
        viewonly=True,
    )
    assortment = relationship(
        "Assortment",
        primaryjoin="and_(Customer.tenant_id == Assortment.tenant_id, "
        "Customer.assortment_id == Assortment.id)",
        foreign_keys="[Customer.tenant_id, Customer.assortment_id]",
        viewonly=True,
    )

    @validates("business_name")
    def _keep_name_key(self, _key, value: str) -> str:
        self.name_key = fold_key(value)
        return value

    @property
    def display_name(self) -> str:
        return self.trading_name or self.business_name

    @property
    def is_suspended(self) -> bool:
        return self.status == "suspended"


class DeliveryLocation(TenantOwned, db.Model):
    """A place the bakery delivers a customer's orders to."""

    __tablename__ = "delivery_locations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "customer_id", "name"),
        ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            ondelete="CASCADE",
        ),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    address: Mapped[str] = mapped_column(Text, nullable=False, default="")
    delivery_instructions: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Contact(UserMixin, TenantOwned, db.Model):
    """A person at a customer; with portal access, a buyer. The email is unique per bakery only:
    the same person at two bakeries is two separate identities."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "email"),
        ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "location_id"],
            ["delivery_locations.tenant_id", "delivery_locations.id"],
        ),
        Index("ix_contacts_customer", "tenant_id", "customer_id"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    first_name: Mapped[str] = mapped_column(String(80), nullable=False)
    last_name: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    is_owner: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_billing: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    access_level: Mapped[str] = mapped_column(String(20), nullable=False, default="individual")
    location_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    can_view_orders: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    can_create_orders: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    can_edit_orders: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    can_view_invoices: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    can_pay_invoices: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="not_invited")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invite_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Read-only: the account is loaded with the contact (the buyer loader needs both at once).
    customer: Mapped[Customer] = relationship(Customer, viewonly=True, lazy="joined")

    realm = "buyer"

    def get_id(self) -> str:
        return f"buyer:{self.tenant_id}:{self.id}|{session_stamp(self.password_hash)}"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    kind = "contact"

    def may(self, permission: str, on=None) -> bool:
        """An actor's question (see tenants.actors): a portal permission on their own account
        `on`, as it stands now; never a staff permission, never another account."""
        if permission in STAFF_PERMISSIONS:
            return False
        if on is None or on.id != self.customer_id:
            return False
        return permissions.can(self, on, permission)


class CustomerActivity(TenantOwned, db.Model):
    """One change to a customer account, by staff, one of its account owners, or the system."""

    __tablename__ = "customer_activity"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            ondelete="CASCADE",
        ),
        Index("ix_customer_activity_customer_at", "tenant_id", "customer_id", "at"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    actor_kind: Mapped[str] = mapped_column(String(10), nullable=False)  # staff|contact|system
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
