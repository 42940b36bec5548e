"""The daily autopay run (registered in `jobs.schedule.TENANT_TASKS`): charge the invoices due
today of customers who opted in. Safe to run twice: each invoice's charge is keyed uniquely."""

from __future__ import annotations

from datetime import datetime

from billing.autopay import charge_due_invoices
from config.extensions import db


def charge_due(tenant, *, period: str, now: datetime | None = None) -> int:
    """Charge today's due invoices off-session; returns how many were attempted."""
    return len(charge_due_invoices(db.session, tenant, now=now))
