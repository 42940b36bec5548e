"""The mail outbox: an email is a row written in the same transaction as the event causing it.

Nothing is sent from a request. The row commits with the order (or invitation, or reset), a job
is queued after commit, and a periodic relay re-queues whatever is still pending, so a broker or
SMTP outage delays mail but never loses it.

Links carrying a single-use token are described, not stored: the sending job issues the token
when it renders the message, so no raw token ever sits in the database.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import JSON, Index, Integer, String, Text, Uuid, bindparam, select, text
from sqlalchemy.orm import Mapped, mapped_column

from config.clock import utcnow
from config.extensions import db
from config.queue import enqueue_after_commit, safe_job_id
from tenants.actors import require
from tenants.base import TenantOwned, UTCDateTime
from tenants.errors import ValidationFailed
from tenants.lookup import get_by_id
from tenants.mail_gates import check_may_mail
from tenants.mail_preferences import OPT_OUT_CATEGORIES, opted_out

# "suppressed": not sent because the recipient opted out of the email's category.
MAIL_STATES = ("pending", "sending", "sent", "failed", "suppressed")
# A claim older than this belongs to a worker that died mid-send; the row may be sent again.
STALE_CLAIM = timedelta(minutes=15)
RELAY_BATCH = 500

# Outbox rows due for a (re)try across all bakeries: pending and due, or claimed by a worker
# that died. On PostgreSQL this is the body of the SECURITY DEFINER function
# platform_due_emails(p_now, p_stale_before), which hands out ids only (row-level security
# rightly hides other bakeries' rows from the app's role); SQLite runs it directly.
DUE_EMAILS_SQL = """
SELECT tenant_id, id, attempts FROM outbound_emails
WHERE (status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= {now}))
   OR (status = 'sending' AND claimed_at < {stale_before})
ORDER BY next_attempt_at
LIMIT {limit}
"""
# Failed emails per bakery, for the operators' jobs page (platform_failed_emails() on PG).
FAILED_COUNTS_SQL = """
SELECT tenant_id, count(*) AS failed FROM outbound_emails WHERE status = 'failed'
GROUP BY tenant_id
"""


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
    # {"kind", "id"}: a document the sending job renders and attaches (an invoice's PDF), so
    # no file sits in the row and the PDF is rendered from the data as it is at send time.
    attachment: Mapped[dict | None] = mapped_column(JSON)
    # "" for transactional mail; an OPT_OUT_CATEGORIES key for reminders and marketing.
    category: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str] = mapped_column(Text, nullable=False, default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def token_link(*, purpose: str, subject_id, ttl: timedelta, path: str) -> dict:
    """The `token_link=` of `queue_email` for an email that carries a single-use link.

    The sending job issues a token for `purpose` and `subject_id` valid for `ttl` and puts it
    where `path` (a site path such as "/wholesale/<slug>/invitation/{token}") says `{token}`.
    Invitations, resets, sign-in links, reminders and "pay online" links are all built here.
    """
    if "{token}" not in path:
        raise ValueError(f"token link path {path!r} has no {{token}} placeholder")
    return {
        "purpose": purpose,
        "subject_id": str(subject_id),
        "ttl_seconds": int(ttl.total_seconds()),
        "path": path,
    }


def queue_email(
    session,
    tenant,
    *,
    to_email: str,
    to_name: str = "",
    template: str,
    context: dict | None = None,
    token_link: dict | None = None,
    category: str = "",
    attachment: tuple[str, object] | None = None,
    now: datetime | None = None,
) -> OutboundEmail:
    """Write an email to the outbox and have it sent once the transaction commits.

    `category` marks reminder or marketing mail: it gets a preferences link, and an address that
    opted out gets a 'suppressed' row (visible to staff) instead of an email. A bakery whose owner
    has not confirmed their address, or that used its trial's invitations, is refused
    (`tenants.mail_gates`). `attachment=("invoice_pdf", invoice_id)` names a document the
    sending job renders and attaches (kinds: `jobs.mail.ATTACHMENTS`).
    """
    if category and category not in OPT_OUT_CATEGORIES:
        raise ValueError(f"unknown mail category {category!r}")
    check_may_mail(session, tenant, template=template)
    row = OutboundEmail(
        tenant_id=tenant.id,
        to_email=to_email,
        to_name=to_name,
        template=template,
        context=context or {},
        token_link=token_link,
        category=category,
        attachment={"kind": attachment[0], "id": str(attachment[1])} if attachment else None,
        next_attempt_at=now or utcnow(),
    )
    if category and opted_out(session, to_email, category):
        row.status, row.next_attempt_at = "suppressed", None
    session.add(row)
    session.flush()
    if row.status == "pending":
        _enqueue_delivery(session, tenant, row)
    return row


def _enqueue_delivery(session, tenant, row: OutboundEmail) -> None:
    enqueue_after_commit(
        session,
        "jobs.mail.deliver_email",
        str(tenant.id),
        str(row.id),
        queue="mail",
        job_id=delivery_job_id(row.id, row.attempts),
    )


def delivery_job_id(email_id, attempts: int) -> str:
    """The RQ job id of one delivery attempt: the relay and the request agree on it."""
    return safe_job_id("mail", email_id, attempts)


def recent_emails(session, *, status: str | None = None, limit: int = 100) -> list[OutboundEmail]:
    """The bound bakery's newest emails (optionally of one status), newest first."""
    stmt = select(OutboundEmail).order_by(OutboundEmail.created_at.desc()).limit(limit)
    if status:
        stmt = stmt.where(OutboundEmail.status == status)
    return list(session.scalars(stmt))


def get_email(session, email_id) -> OutboundEmail:
    """The bound bakery's email with this id; NotFound otherwise (another bakery's too)."""
    return get_by_id(session, OutboundEmail, email_id, missing="No such email.")


def resend_email(session, tenant, *, actor, email: OutboundEmail, now: datetime | None = None):
    """Give a failed email a fresh round of attempts; it is sent once the caller commits."""
    require(actor, "mail")
    if email.status != "failed":
        raise ValidationFailed("Only a failed email can be sent again.")
    email.status, email.attempts = "pending", 0
    email.next_attempt_at, email.claimed_at = now or utcnow(), None
    session.flush()
    _enqueue_delivery(session, tenant, email)
    return email


def due_emails(session, *, now: datetime | None = None, limit: int = RELAY_BATCH):
    """[(tenant_id, email_id, attempts)] of rows due for delivery, across every bakery."""
    now = now or utcnow()
    if session.get_bind().dialect.name == "postgresql":
        stmt = text(
            "SELECT tenant_id, id, attempts FROM platform_due_emails(:now, :stale_before, :limit)"
        )
    else:
        stmt = text(DUE_EMAILS_SQL.format(now=":now", stale_before=":stale_before", limit=":limit"))
    stmt = stmt.bindparams(
        bindparam("now", type_=UTCDateTime), bindparam("stale_before", type_=UTCDateTime)
    ).columns(tenant_id=Uuid, id=Uuid, attempts=Integer)
    params = {"now": now, "stale_before": now - STALE_CLAIM, "limit": limit}
    return [tuple(row) for row in session.execute(stmt, params)]


def failed_counts(session) -> dict[uuid.UUID, int]:
    """{tenant id: number of failed emails} across every bakery."""
    if session.get_bind().dialect.name == "postgresql":
        stmt = text("SELECT tenant_id, failed FROM platform_failed_emails()")
    else:
        stmt = text(FAILED_COUNTS_SQL)
    stmt = stmt.columns(tenant_id=Uuid, failed=Integer)
    return {tenant_id: int(n) for tenant_id, n in session.execute(stmt)}
