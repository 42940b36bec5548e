"""Which delivery date the day's pages open on, and the dates around it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from config.clock import bakery_now
from tenants.orders.calendar import load_schedule

# Until noon the bakery is still working on today's deliveries (the bakers start at night, the
# vans leave in the morning); from noon on, the next delivery day is the one to prepare.
SAME_DAY_UNTIL_HOUR = 12
LOOKAHEAD_DAYS = 14


def default_day(session, tenant, *, now: datetime) -> date:
    """Today if it is a delivery day and before noon at the bakery, else the next delivery day
    (skipping closures); tomorrow if none comes within two weeks. Two statements."""
    local = bakery_now(tenant, now)
    first = local.date() if local.hour < SAME_DAY_UNTIL_HOUR else local.date() + timedelta(days=1)
    schedule = load_schedule(session, tenant, first=first, last=first + timedelta(LOOKAHEAD_DAYS))
    for offset in range(LOOKAHEAD_DAYS):
        day = first + timedelta(days=offset)
        if day.weekday() in schedule.cutoffs and not any(c.covers(day) for c in schedule.closures):
            return day
    return local.date() + timedelta(days=1)
