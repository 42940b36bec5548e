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


def customer_times(session, tenant, *, since, until):
    """An `Each` source: every customer's own time of day, read from the end of its name
    ("Early Café 09:00"), on the bakery's local day of `until`."""
    from datetime import datetime, time

    from config.clock import bakery_today, bakery_zone
    from tenants.customers.models import Customer

    day = bakery_today(tenant, until)
    for customer in session.scalars(select(Customer)):
        hour, minute = (int(part) for part in customer.business_name.rsplit(" ", 1)[1].split(":"))
        at = datetime.combine(day, time(hour, minute), tzinfo=bakery_zone(tenant))
        if since < at <= until:
            yield customer.id, at


def remind_customer(tenant, *, period: str, subject: str) -> None:
    """A per-customer periodic task: note the reminder in the customer's activity log."""
    from tenants.customers.activity import log_activity
    from tenants.customers.services import get_customer

    log_activity(
        db.session,
        get_customer(db.session, subject),
        actor=None,
        action="probe.reminded",
        summary=f"Reminded for {period}",
    )
