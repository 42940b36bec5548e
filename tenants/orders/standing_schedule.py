"""When a standing order's occurrences fall, and what each one is right now.

A standing order repeats every `every_weeks` weeks on its weekday from `starts_on` (its first
delivery) up to `ends_on`. Each scheduled date is an occurrence; its state comes from, in order:
what already happened (a row in `standing_occurrences`: placed, failed, skipped), a pause
covering the date, and the bakery's delivery calendar (`tenants.orders.calendar`, the one
calendar): a date inside a closure is moved to the previous delivery day or skipped, as the
bakery chose, and the occurrence's cut-off is the calendar's cut-off of the date it delivers on.

Everything for a range of dates is loaded in a constant number of queries (`load_context`), so
the portal's six weeks, the production sheet's projection and the generator cost the same for one
standing order as for two thousand.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select

from tenants.customers.models import Customer
from tenants.orders.calendar import (
    DEFAULT_CUTOFF,
    Schedule,
    cutoff_for,
    load_schedule,
    local_instant,
)
from tenants.orders.standing_models import (
    StandingOccurrence,
    StandingOrder,
    StandingOrderLine,
    StandingPause,
    StandingSettings,
)

# How far back a closure may move a delivery: within the week before it.
MOVE_BACK_DAYS = 6
# States of an occurrence as people read them.
STATES = {
    "open": "Scheduled",
    "due": "Being placed",
    "generated": "Placed",
    "skipped": "Skipped",
    "paused": "Paused",
    "closed": "Skipped (bakery closed)",
    "needs_attention": "Needs attention",
    "not_placed": "Not placed",
}


@dataclass(frozen=True)
class Occurrence:
    """One scheduled delivery of a standing order, as it stands now.

    `nominal_date` is the date the schedule gives (the occurrence's key); `delivery_date` the
    date it delivers on after a closure move (None when a closure skips it). `notice` says what
    the calendar did ({"kind": "moved"|"closed", "reason", "from", "to"}), for the buyer's preview.
    """

    standing_order: StandingOrder
    nominal_date: date
    delivery_date: date | None
    cutoff_at: datetime | None
    state: str
    lines: tuple[tuple[uuid.UUID, int], ...]
    changed_this_week: bool = False
    notice: dict | None = None
    row: StandingOccurrence | None = None
    due_at: datetime | None = None

    @property
    def standing_order_id(self) -> uuid.UUID:
        return self.standing_order.id

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def changeable(self) -> bool:
        """Before its cut-off and not placed: it may be skipped, changed or restored."""
        return self.state in ("open", "skipped", "paused")

    @property
    def will_be_placed(self) -> bool:
        return self.state in ("open", "due")


@dataclass
class Context:
    """What computing occurrences needs, loaded once for a range of dates."""

    schedule: Schedule
    policy: str
    preview_days: int
    lines: dict = field(default_factory=dict)  # standing order id -> [StandingOrderLine]
    pauses: dict = field(default_factory=dict)  # standing order id -> [StandingPause]
    rows: dict = field(default_factory=dict)  # (standing order id, nominal date) -> row
    customers: dict = field(default_factory=dict)  # customer id -> Customer


def settings_of(session) -> StandingSettings | None:
    """The bound bakery's standing-order settings row, if it saved one."""
    return session.scalar(select(StandingSettings))


def nominal_dates(order: StandingOrder, first: date, last: date) -> list[date]:
    """The scheduled dates of `order` within [first, last], oldest first."""
    step = 7 * order.every_weeks
    end = min(last, order.ends_on) if order.ends_on else last
    if end < order.starts_on:
        return []
    if first <= order.starts_on:
        day = order.starts_on
    else:
        periods = -(-(first - order.starts_on).days // step)  # ceiling division
        day = order.starts_on + timedelta(days=periods * step)
    dates = []
    while day <= end:
        dates.append(day)
        day += timedelta(days=step)
    return dates


def delivers_on(schedule: Schedule, customer, day: date) -> bool:
    """Whether the bakery delivers to `customer` on `day`: its weekday, the customer's own
    weekdays if it has them, and no closure."""
    if day.weekday() not in schedule.cutoffs:
        return False
    if customer.delivery_weekdays and day.weekday() not in customer.delivery_weekdays:
        return False
    return not any(c.covers(day) for c in schedule.closures)


def place_for(schedule: Schedule, customer, policy: str, nominal: date):
    """(delivery date or None, notice or None) for a scheduled date, after closures."""
    closure = next((c for c in schedule.closures if c.covers(nominal)), None)
    if closure is None:
        return nominal, None
    notice = {"reason": closure.reason, "from": nominal.isoformat()}
    if policy == "move":
        for back in range(1, MOVE_BACK_DAYS + 1):
            day = nominal - timedelta(days=back)
            if delivers_on(schedule, customer, day):
                return day, {**notice, "kind": "moved", "to": day.isoformat()}
    return None, {**notice, "kind": "closed"}


def due_at(schedule: Schedule, day: date) -> datetime:
    """When the generator places a delivery on `day`: the calendar's cut-off for it, or (on a
    day the bakery no longer delivers) the default cut-off, so it still surfaces as a problem."""
    cutoff = cutoff_for(schedule, day)
    if cutoff is not None:
        return cutoff
    days_before, at = DEFAULT_CUTOFF
    return local_instant(day - timedelta(days=days_before), at, schedule.tz)


def occurrence(ctx: Context, order: StandingOrder, nominal: date, now: datetime) -> Occurrence:
    """The occurrence of `order` scheduled for `nominal`, as it stands at `now`."""
    row = ctx.rows.get((order.id, nominal))
    customer = ctx.customers[order.customer_id]
    template = tuple(
        (line.product_id, line.quantity)
        for line in sorted(ctx.lines.get(order.id, []), key=lambda x: x.position)
    )
    override = row.lines_override if row is not None else None
    lines = (
        tuple((uuid.UUID(str(pid)), int(qty)) for pid, qty in override)
        if override is not None
        else template
    )
    day, notice = place_for(ctx.schedule, customer, ctx.policy, nominal)
    if row is not None and row.status == "generated" and row.placed_on:
        day = row.placed_on
    cutoff = cutoff_for(ctx.schedule, day) if day else None
    when = due_at(ctx.schedule, day) if day else None
    state = _state(ctx, order, nominal, row, day, when, now)
    return Occurrence(
        standing_order=order,
        nominal_date=nominal,
        delivery_date=day,
        cutoff_at=cutoff,
        state=state,
        lines=lines,
        changed_this_week=override is not None,
        notice=notice,
        row=row,
        due_at=when,
    )


def _state(ctx, order, nominal, row, day, when, now) -> str:
    if row is not None and row.status == "generated":
        return "generated"
    if row is not None and row.status == "failed":
        return "not_placed" if row.resolved_at else "needs_attention"
    if row is not None and row.status == "skipped":
        return "skipped"
    if any(p.first_day <= nominal <= p.last_day for p in ctx.pauses.get(order.id, [])):
        return "paused"
    if day is None:
        return "closed"
    return "due" if now >= when else "open"


def load_context(
    session, tenant, orders: list[StandingOrder], *, first: date, last: date
) -> Context:
    """Everything `occurrence` needs for `orders` with scheduled dates in [first, last]: the
    calendar (with closures reaching back far enough for a move), settings, lines, pauses,
    this range's occurrence rows and the customers. Seven queries whatever the count."""
    schedule = load_schedule(
        session, tenant, first=first - timedelta(days=MOVE_BACK_DAYS), last=last
    )
    settings = settings_of(session)
    ctx = Context(
        schedule=schedule,
        policy=settings.closure_policy if settings else "move",
        preview_days=settings.preview_days if settings else 2,
    )
    ids = [o.id for o in orders]
    if not ids:
        return ctx
    by_order = defaultdict(list)
    for line in session.scalars(
        select(StandingOrderLine).where(StandingOrderLine.standing_order_id.in_(ids))
    ):
        by_order[line.standing_order_id].append(line)
    ctx.lines = dict(by_order)
    pauses = defaultdict(list)
    for pause in session.scalars(
        select(StandingPause).where(
            StandingPause.standing_order_id.in_(ids),
            StandingPause.last_day >= first,
            StandingPause.first_day <= last,
        )
    ):
        pauses[pause.standing_order_id].append(pause)
    ctx.pauses = dict(pauses)
    ctx.rows = {
        (r.standing_order_id, r.delivery_date): r
        for r in session.scalars(
            select(StandingOccurrence).where(
                StandingOccurrence.standing_order_id.in_(ids),
                StandingOccurrence.delivery_date >= first,
                StandingOccurrence.delivery_date <= last,
            )
        )
    }
    customer_ids = list({o.customer_id for o in orders})
    ctx.customers = {
        c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(customer_ids)))
    }
    return ctx


def live_orders(session, *, first: date, last: date, customer_id=None, where=()) -> list:
    """Standing orders with a scheduled date possibly in [first, last] (started by `last`,
    not ended before `first`), optionally of one customer; one query."""
    stmt = select(StandingOrder).where(
        StandingOrder.starts_on <= last,
        or_(StandingOrder.ends_on.is_(None), StandingOrder.ends_on >= first),
        *where,
    )
    if customer_id is not None:
        stmt = stmt.where(StandingOrder.customer_id == customer_id)
    return list(session.scalars(stmt.order_by(StandingOrder.starts_on, StandingOrder.id)))


def occurrences_between(
    ctx: Context, orders: list[StandingOrder], *, first: date, last: date, now: datetime
) -> list[Occurrence]:
    """Every occurrence of `orders` scheduled in [first, last], by date then standing order."""
    found = [
        occurrence(ctx, order, nominal, now)
        for order in orders
        for nominal in nominal_dates(order, first, last)
    ]
    return sorted(found, key=lambda o: (o.nominal_date, str(o.standing_order_id)))


def first_on_or_after(weekday: int, day: date) -> date:
    """The first date on `weekday` at or after `day`."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def local_midnight(day: date, schedule: Schedule) -> datetime:
    return local_instant(day, time(0, 0), schedule.tz)
