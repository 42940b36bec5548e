"""Invoicing periods of the consolidated modes, in the bakery's own calendar.

A weekly period runs Monday to Sunday ("2026-W47", ISO weeks), a monthly one over a calendar
month ("2026-11"). A period closes at the bakery's local midnight after its last day, so what
counts as "ended" depends on the bakery's timezone, not the server's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from config.clock import bakery_today


@dataclass(frozen=True)
class Period:
    """One invoicing period: its key (unique per customer) and first and last day."""

    key: str
    start: date
    end: date


def period_of(mode: str, day: date) -> Period:
    """The `mode` period ("consolidated_weekly" or "consolidated_monthly") containing `day`."""
    if mode == "consolidated_weekly":
        start = day - timedelta(days=day.weekday())
        year, week, _ = start.isocalendar()
        return Period(f"{year}-W{week:02d}", start, start + timedelta(days=6))
    if mode == "consolidated_monthly":
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return Period(f"{start:%Y-%m}", start, following - timedelta(days=1))
    raise ValueError(f"{mode!r} has no periods")


def last_closed_period(mode: str, tenant, now: datetime) -> Period:
    """The latest `mode` period that has ended at the bakery by UTC `now` (the one before
    the period holding the bakery's today)."""
    current = period_of(mode, bakery_today(tenant, now))
    return period_of(mode, current.start - timedelta(days=1))
