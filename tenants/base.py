"""The mixin every tenant-owned model uses, and the column types shared by all models.

Tenant-owned tables key on (tenant_id, id): primary key, unique constraints and foreign keys to
other tenant-owned tables all carry tenant_id. In PostgreSQL that makes a cross-tenant reference
impossible, and it is what a sharded deployment (Citus) distributes by.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, TypeDecorator, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from config.clock import as_utc, utcnow


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every dialect (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        return as_utc(value)

    def process_result_value(self, value, dialect):
        return as_utc(value)


def new_id() -> uuid.UUID:
    """A random id: ids in URLs must not be guessable or sequential across the platform."""
    return uuid.uuid4()


class TenantOwned:
    """Mixin for models whose rows belong to exactly one bakery.

    Queries of these models are filtered to the session's tenant automatically, and raise when
    the session has no tenant (see `tenants.scoping`).
    """

    __tenant_owned__ = True

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805 - SQLAlchemy's declared_attr style
        return mapped_column(
            Uuid,
            ForeignKey("tenants.id", ondelete="CASCADE"),
            primary_key=True,
            sort_order=-10,
        )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id, sort_order=-9)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


def is_tenant_owned(cls_or_table) -> bool:
    """True for a tenant-owned model class."""
    return bool(getattr(cls_or_table, "__tenant_owned__", False))
