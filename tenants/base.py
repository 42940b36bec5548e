"""The mixin every tenant-owned model uses (the column types all models share are in
`config.types`).

Tenant-owned tables key on (tenant_id, id): primary key, unique constraints and foreign keys to
other tenant-owned tables all carry tenant_id. In PostgreSQL that makes a cross-tenant reference
impossible, and it is what a sharded deployment (Citus) distributes by.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from config.clock import utcnow
from config.types import UTCDateTime


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
