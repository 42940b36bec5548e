"""Customer accounts."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKeyConstraint, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from config.extensions import db
from tenants.base import TenantOwned


class Customer(TenantOwned, db.Model):
    """A wholesale business that buys from the bakery."""

    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "business_name"),
        # Pricing (tenants.catalog): the customer's price list and assortment, if any.
        ForeignKeyConstraint(
            ["tenant_id", "price_list_id"], ["price_lists.tenant_id", "price_lists.id"]
        ),
        ForeignKeyConstraint(
            ["tenant_id", "assortment_id"], ["assortments.tenant_id", "assortments.id"]
        ),
    )

    business_name: Mapped[str] = mapped_column(String(200), nullable=False)
    trading_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    tax_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    billing_email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")
    portal_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    # Pricing (set by tenants.catalog.assortments.assign_pricing): none = the default list and
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

    @property
    def display_name(self) -> str:
        return self.trading_name or self.business_name
