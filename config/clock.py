"""The one place code reads the time from, so tests can freeze it (freezegun patches datetime).

Times are stored in UTC; what a bakery or its buyers see (today's prices, cut-offs, sold-out
days, a date on a document) is in the bakery's own timezone. `bakery_now` and `bakery_today`
are that, once: every "now" or "today" at a bakery goes through them. A tenant here is anything
with a `timezone` (an IANA name such as "Europe/London").
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Treat a naive datetime read back from SQLite as UTC; pass aware ones through."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def bakery_zone(tenant) -> ZoneInfo:
    """The bakery's timezone."""
    return ZoneInfo(tenant.timezone)


def at_bakery(value: datetime, tenant) -> datetime:
    """An aware datetime (a stored UTC time, say) as the bakery's wall clock shows it."""
    return value.astimezone(bakery_zone(tenant))


def bakery_now(tenant, now: datetime | None = None) -> datetime:
    """Now (or UTC `now`) on the bakery's wall clock, timezone-aware."""
    return at_bakery(now or utcnow(), tenant)


def bakery_today(tenant, now: datetime | None = None) -> date:
    """Today's date at the bakery (prices change, and sold-out days end, at its midnight)."""
    return bakery_now(tenant, now).date()
