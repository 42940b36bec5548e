"""The hourly sweep of card-now orders whose payment never came (registered in
`jobs.schedule.TENANT_TASKS`). Safe to run twice: an order leaves "awaiting payment" once."""

from __future__ import annotations

from datetime import datetime

from billing.card_checkout import sweep_unpaid
from config.clock import utcnow
from config.extensions import db


def sweep(tenant, *, period: str, now: datetime | None = None) -> int:
    """Release the bakery's orders left awaiting a card payment; returns how many."""
    return sweep_unpaid(db.session, tenant, now=now or utcnow())
