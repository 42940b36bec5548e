"""The mail outbox: an email is a row written in the same transaction as the event causing it.

Nothing is sent from a request. The row commits with the order (or invitation, or reset), a job
is queued after commit, and a periodic relay re-queues whatever is still pending, so a broker or
SMTP outage delays mail but never loses it.

Links carrying a single-use token are described, not stored: the sending job issues the token
when it renders the message, so no raw token ever sits in the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from config.clock import utcnow
from config.extensions import db
from config.queue import enqueue_after_commit, safe_job_id
from tenants.base import TenantOwned, UTCDateTime

MAIL_STATES = ("pending", "sending", "sent", "failed")


class OutboundEmail(TenantOwned, db.Model):
    """One email to one recipient, from one bakery."""

    __tablename__ = "outbound_emails"
    __table_args__ = (Index("ix_outbound_emails_status", "tenant_id", "status", "next_attempt_at"),)

    to_email: Mapped[str] = mapped_column(String(254), nullable=False)
    to_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    template: Mapped[str] = mapped_column(String(80), nullable=False)
    context: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # {"purpose", "subject_id", "ttl_seconds", "path"}: the job issues the token at send time.
    token_link: Mapped[dict | None] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str] = mapped_column(Text, nullable=False, default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def queue_email(
    session,
    tenant,
    *,
    to_email: str,
    to_name: str = "",
    template: str,
    context: dict | None = None,
    token_link: dict | None = None,
    now: datetime | None = None,
) -> OutboundEmail:
    """Write an email to the outbox and have it sent once the transaction commits."""
    row = OutboundEmail(
        tenant_id=tenant.id,
        to_email=to_email,
        to_name=to_name,
        template=template,
        context=context or {},
        token_link=token_link,
        next_attempt_at=now or utcnow(),
    )
    session.add(row)
    session.flush()
    enqueue_after_commit(
        session,
        "jobs.mail.deliver_email",
        str(tenant.id),
        str(row.id),
        queue="mail",
        job_id=safe_job_id("mail", row.id, row.attempts),
    )
    return row
