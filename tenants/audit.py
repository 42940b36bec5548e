"""The platform audit log: every operator action, who did it, to what, and what changed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from config.clock import utcnow
from config.extensions import db
from tenants.base import UTCDateTime


class AuditEntry(db.Model):
    """One recorded action. Platform table: operators' actions span bakeries."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    actor: Mapped[str] = mapped_column(String(254), nullable=False)
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("tenants.id", ondelete="SET NULL"), index=True
    )
    target: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)


def record(
    session,
    *,
    actor: str,
    action: str,
    tenant_id: uuid.UUID | None = None,
    target: str = "",
    details: dict | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append one entry; it commits with the action it describes."""
    entry = AuditEntry(
        at=now or utcnow(),
        actor=actor,
        action=action,
        tenant_id=tenant_id,
        target=target,
        details=details or {},
    )
    session.add(entry)
    return entry
