"""Job functions the job tests enqueue (not tests themselves)."""

from __future__ import annotations

from sqlalchemy import select, text

from config.extensions import db


def backend_pid() -> int:
    """The PostgreSQL backend pid of the connection this process's session uses."""
    return db.session.execute(text("SELECT pg_backend_pid()")).scalar()


def explode(tenant, reason: str) -> None:
    raise RuntimeError(f"probe failed on purpose: {reason}")


def remind_owner(tenant, *, period: str) -> None:
    """A periodic tenant task: send a reminder-category notice to the bakery's owner."""
    from tenants.outbox import queue_email
    from tenants.staff.models import StaffUser

    owner = db.session.scalar(select(StaffUser).where(StaffUser.role == "owner"))
    queue_email(
        db.session,
        tenant,
        to_email=owner.email,
        to_name=owner.name,
        template="notice",
        category="reminders",
        context={"headline": f"Time to order at {tenant.name}", "body": f"Occurrence {period}."},
    )
