"""The staff user table: one row per person per bakery."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime
from tenants.passwords import session_stamp
from tenants.staff.permissions import STAFF_FOR_ACCOUNT, role_permissions


class StaffUser(UserMixin, TenantOwned, db.Model):
    """A person working at one bakery. Status: invited -> active -> disabled."""

    __tablename__ = "staff_users"
    __table_args__ = (UniqueConstraint("tenant_id", "email"),)

    email: Mapped[str] = mapped_column(String(254), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="invited")
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When they last looked at the home page's orders: "placed since your last visit".
    orders_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    realm = "staff"

    def get_id(self) -> str:
        return f"staff:{self.tenant_id}:{self.id}|{session_stamp(self.password_hash)}"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def permissions(self) -> frozenset[str]:
        return role_permissions(self.role)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    kind = "staff"

    def may(self, permission: str, on=None) -> bool:
        """An actor's question (see tenants.actors): the role's permission, or the staff
        permission that covers an account-level one."""
        return self.can(STAFF_FOR_ACCOUNT.get(permission, permission))
