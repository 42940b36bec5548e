"""Customer accounts."""

from __future__ import annotations

from sqlalchemy import Boolean, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from config.extensions import db
from tenants.base import TenantOwned


class Customer(TenantOwned, db.Model):
    """A wholesale business that buys from the bakery."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("tenant_id", "business_name"),)

    business_name: Mapped[str] = mapped_column(String(200), nullable=False)
    trading_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    tax_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    billing_email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")
    portal_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    @property
    def display_name(self) -> str:
        return self.trading_name or self.business_name
