"""Print events: who printed a day's sheet or slips and when, and which orders changed since.

"Changed" means the order's timeline has an entry after the last print that changes what the
document says: a placement, an edit, a cut-off override, or a status change into or out of the
counted statuses (a cancellation, a rejection, an approval). A cancellation after the sheet went
to the bakers is exactly what they need to hear about; the bakery's own progress through its
day (confirmed, in production, out for delivery, delivered) is not, or every sheet would call
itself stale the moment the bakers started work on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, not_, select

from tenants.orders.access import actor_name
from tenants.orders.models import Order, OrderEvent
from tenants.production.models import COUNTED_STATUSES, PRINT_KINDS, ProductionPrint
from tenants.scoping import check_bound

CHANGED_SHOWN = 10
_NOT_NEWS = ("message",)


@dataclass(frozen=True)
class PrintCheck:
    """The last print of a day's document (None: never printed) and the orders changed since
    (their numbers, lowest first)."""

    last: ProductionPrint | None
    changed_numbers: tuple[int, ...] = ()

    @property
    def changed(self) -> int:
        return len(self.changed_numbers)

    @property
    def shown_numbers(self) -> tuple[int, ...]:
        return self.changed_numbers[:CHANGED_SHOWN]


def record_print(session, tenant, *, actor, day: date, kind: str, now: datetime):
    """Note that `actor` printed the `kind` document for `day` at `now`."""
    check_bound(session, tenant)
    if kind not in PRINT_KINDS:
        raise ValueError(f"unknown print kind {kind!r}")
    event = ProductionPrint(
        tenant_id=tenant.id,
        delivery_date=day,
        kind=kind,
        printed_at=now,
        printed_by_name=actor_name(actor),
    )
    session.add(event)
    session.flush()
    return event


def print_check(session, *, day: date, kind: str) -> PrintCheck:
    """The last print of `kind` for `day` and the orders changed after it: one or two statements."""
    last = session.scalar(
        select(ProductionPrint)
        .where(ProductionPrint.delivery_date == day, ProductionPrint.kind == kind)
        .order_by(ProductionPrint.printed_at.desc())
        .limit(1)
    )
    if last is None:
        return PrintCheck(None)
    progress = and_(
        OrderEvent.kind == "status",
        OrderEvent.from_status.in_(COUNTED_STATUSES),
        OrderEvent.to_status.in_(COUNTED_STATUSES),
    )
    numbers = session.scalars(
        select(Order.number)
        .join(OrderEvent, OrderEvent.order_id == Order.id)
        .where(
            Order.delivery_date == day,
            OrderEvent.at > last.printed_at,
            OrderEvent.kind.not_in(_NOT_NEWS),
            not_(progress),
        )
        .group_by(Order.number)
        .order_by(Order.number)
    ).all()
    return PrintCheck(last, tuple(numbers))
