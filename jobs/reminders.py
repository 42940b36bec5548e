"""The weekly reminder job and the hourly back-in-stock job (registered in `jobs.schedule`).

`send` runs once per customer and reminder time (the scheduler's `Each` claim) and, inside,
claims the customer's ISO week, so moving a customer's time later in a week it was already
reminded in does not remind it twice. The claim and the outbox rows commit together.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from config.clock import utcnow
from config.extensions import db
from tenants.customers.models import Customer
from tenants.orders.reminders import queue_reminders, reminder_context, week_key
from tenants.orders.stock_alerts import send_back_in_stock
from tenants.scheduled_runs import claim_run

WEEK_TASK = "weekly_reminders_week"


def send(tenant, *, period: str, subject: str, now: datetime | None = None) -> int:
    """Remind customer `subject` for the local occurrence `period` ("2026-12-04T14:00");
    returns how many emails were written (0 if its week was already reminded)."""
    now = now or utcnow()
    customer = db.session.get(Customer, (tenant.id, uuid.UUID(subject)))
    if customer is None or customer.is_suspended or not customer.portal_enabled:
        return 0
    week = week_key(datetime.fromisoformat(period).date())
    if not claim_run(db.session, tenant, task=WEEK_TASK, period=f"{week}/{subject}", now=now):
        return 0
    context = reminder_context(db.session, tenant, customer, now=now)
    return queue_reminders(db.session, tenant, customer=customer, context=context, now=now)


def back_in_stock(tenant, *, period: str, now: datetime | None = None) -> int:
    """Hourly: tell buyers their requested products are back (one email each)."""
    return send_back_in_stock(db.session, tenant, now=now or utcnow())
