"""Which periodic task already ran for which bakery and local period.

The unique key (tenant_id, task, period) is what makes a periodic task run at most once per
occurrence, however often the dispatcher fires or RQ hands out the same job: the job claims its
row first (INSERT .. ON CONFLICT DO NOTHING) in the same transaction as its work.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from config.clock import utcnow
from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime, new_id


class ScheduledRun(TenantOwned, db.Model):
    """One run of one periodic task for one bakery; `period` is its local occurrence."""

    __tablename__ = "scheduled_runs"
    __table_args__ = (UniqueConstraint("tenant_id", "task", "period"),)

    task: Mapped[str] = mapped_column(String(60), nullable=False)
    # The occurrence in the bakery's local time, e.g. "2026-11-23T03:00", and for a task that
    # runs per row the row it ran for: "2026-11-23T09:00/<customer id>".
    period: Mapped[str] = mapped_column(String(80), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


def claim_run(session, tenant, *, task: str, period: str, now: datetime | None = None) -> bool:
    """Record that `task` runs for `period` now; False if that occurrence already ran."""
    now = now or utcnow()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(ScheduledRun)
        .values(
            tenant_id=tenant.id,
            id=new_id(),
            task=task,
            period=period,
            started_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "task", "period"])
        .returning(ScheduledRun.id)
    )
    # A conflict skips the row without an error, so the transaction (and any callbacks
    # registered on it) stays intact: no savepoint needed.
    return session.execute(stmt).scalar() is not None
