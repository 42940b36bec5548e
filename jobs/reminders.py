"""The weekly reminder job and the hourly back-in-stock job (registered in `jobs.schedule`).

`send` runs once per customer and reminder time (the scheduler's `Each` claim) and queues
`remind_customer` after the scheduler's run commits; that job claims the customer's ISO week
before it writes, so moving a customer's time later in a week it was already reminded in does
not remind it twice. The week's claim and the customer's outbox rows commit together.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from config.clock import utcnow
from config.extensions import db
from config.queue import enqueue_after_commit, safe_job_id
from tenants.customers.models import Customer
from tenants.orders.reminders import queue_reminders, reminder_context, week_key
from tenants.orders.stock_alerts import send_back_in_stock
from tenants.scheduled_runs import claim_run

WEEK_TASK = "weekly_reminders_week"


def send(tenant, *, period: str, subject: str, now: datetime | None = None) -> int:
    """The scheduler's call for customer `subject` at its local reminder time `period`
    ("2026-12-04T14:00"): queue its reminder as a job of its own once this run commits, so a
    bakery's customers are reminded one transaction each (one customer's contacts per batch),
    side by side on as many workers as run. Returns the number of jobs queued (1)."""
    week = week_key(datetime.fromisoformat(period).date())
    enqueue_after_commit(
        db.session,
        "jobs.reminders.remind_customer",
        str(tenant.id),
        subject,
        week,
        job_id=safe_job_id("reminder", tenant.id, subject, week),
    )
    return 1


def remind_customer(tenant, customer_id: str, week: str, *, now: datetime | None = None) -> int:
    """Write customer `customer_id`'s reminder for ISO week `week` ("2026-W49"): one outbox
    row per contact who may order, the coming order checked once. Claims (customer, week)
    first, so a second run, a retried job or a time moved later that week writes nothing.
    Returns how many emails were written."""
    now = now or utcnow()
    customer = db.session.get(Customer, (tenant.id, uuid.UUID(customer_id)))
    if customer is None or customer.is_suspended or not customer.portal_enabled:
        return 0
    if not claim_run(db.session, tenant, task=WEEK_TASK, period=f"{week}/{customer_id}", now=now):
        return 0
    context = reminder_context(db.session, tenant, customer, now=now)
    return queue_reminders(db.session, tenant, customer=customer, context=context, now=now)


def back_in_stock(tenant, *, period: str, now: datetime | None = None) -> int:
    """Hourly: tell buyers their requested products are back (one email each)."""
    return send_back_in_stock(db.session, tenant, now=now or utcnow())
