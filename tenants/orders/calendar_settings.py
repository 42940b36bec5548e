"""Staff keep the bakery's delivery calendar: delivery weekdays with cut-offs, and closures."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import delete, select

from tenants.actors import require
from tenants.errors import ValidationFailed
from tenants.lookup import get_by_id
from tenants.orders.models import Closure, DeliveryDay

MAX_CLOSURE_DAYS = 366


def set_delivery_days(session, tenant, *, actor, days: dict[int, tuple[int, time]]) -> None:
    """Replace the delivery weekdays: {weekday (Mon=0): (cut-off days before, local time)}."""
    require(actor, "settings")
    if not days:
        raise ValidationFailed("Choose at least one delivery day.", field="weekdays")
    for weekday, (days_before, _at) in days.items():
        if weekday not in range(7):
            raise ValidationFailed("Unknown weekday.", field="weekdays")
        if days_before not in range(15):
            raise ValidationFailed(
                "A cut-off is 0 to 14 days before delivery.", field=f"days_before_{weekday}"
            )
    session.execute(delete(DeliveryDay))
    for weekday, (days_before, at) in sorted(days.items()):
        session.add(
            DeliveryDay(
                tenant_id=tenant.id,
                weekday=weekday,
                cutoff_days_before=days_before,
                cutoff_time=at.replace(second=0, microsecond=0),
            )
        )
    session.flush()


def add_closure(session, tenant, *, actor, first_day: date, last_day: date, reason: str):
    """Close the bakery from `first_day` to `last_day` inclusive; buyers see `reason`."""
    require(actor, "settings")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Say why, e.g. 'Christmas'.", field="reason")
    if len(reason) > 200:
        raise ValidationFailed("Keep the reason under 200 characters.", field="reason")
    if last_day < first_day:
        raise ValidationFailed("The last day comes before the first.", field="last_day")
    if (last_day - first_day).days >= MAX_CLOSURE_DAYS:
        raise ValidationFailed("A closure lasts at most a year.", field="last_day")
    closure = Closure(tenant_id=tenant.id, first_day=first_day, last_day=last_day, reason=reason)
    session.add(closure)
    session.flush()
    return closure


def remove_closure(session, tenant, *, actor, closure_id) -> None:
    require(actor, "settings")
    session.delete(get_by_id(session, Closure, closure_id, missing="No such closure."))
    session.flush()


def list_closures(session, *, from_day: date) -> list[Closure]:
    """Closures ending on or after `from_day`, soonest first."""
    return list(
        session.scalars(
            select(Closure).where(Closure.last_day >= from_day).order_by(Closure.first_day)
        )
    )
