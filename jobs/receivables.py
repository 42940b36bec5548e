"""The bakery's daily receivables jobs (registered in `jobs.schedule.TENANT_TASKS`): payment
reminders in the morning, and the monthly statements on the bakery's statement day.

Both are safe to run twice: each reminder step and each month's statement is recorded under a
unique key in the same transaction as the emails it queues.
"""

from __future__ import annotations

from datetime import datetime

from billing.dunning import send_due_reminders
from billing.statements import send_monthly_statements
from config.extensions import db


def send_payment_reminders(tenant, *, period: str, now: datetime | None = None) -> int:
    """Queue the reminders due today at the bakery; returns how many invoices were reminded."""
    return send_due_reminders(db.session, tenant, now=now)


def send_statements(tenant, *, period: str, now: datetime | None = None) -> int:
    """On the statement day, email each customer owing money their statement, once a month."""
    return send_monthly_statements(db.session, tenant, now=now)
