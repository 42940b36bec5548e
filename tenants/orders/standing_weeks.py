"""One week of a standing order, before its cut-off: skip it, restore it, change its lines for
that week only; and pause a range of dates.

Each change first checks the occurrence is still open (its cut-off, from the one delivery
calendar, is ahead and it was not placed). The write itself is a compare-and-set on the
occurrence row (`WHERE status = 'scheduled'`), so a skip and the generator racing at the
cut-off cannot both win: the row is either skipped or placed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from config.clock import bakery_today
from tenants.base import new_id
from tenants.errors import NotFound, ValidationFailed
from tenants.lookup import get_by_id
from tenants.orders import access
from tenants.orders.placement import clean_lines
from tenants.orders.standing_edit import authorize
from tenants.orders.standing_models import StandingOccurrence, StandingOrder, StandingPause
from tenants.orders.standing_schedule import Occurrence, load_context, nominal_dates, occurrence

MAX_PAUSE_DAYS = 366


class OccurrenceClosed(ValidationFailed):
    """The week can no longer be changed: past its cut-off, or already placed."""


def occurrence_of(session, tenant, standing_order: StandingOrder, nominal: date, *, now):
    """The occurrence of `standing_order` scheduled for `nominal`, or NotFound."""
    if nominal not in nominal_dates(standing_order, nominal, nominal):
        raise NotFound("No delivery of this standing order on that date.")
    ctx = load_context(session, tenant, [standing_order], first=nominal, last=nominal)
    return occurrence(ctx, standing_order, nominal, now)


def ensure_row(session, tenant, standing_order_id, nominal: date, *, now) -> StandingOccurrence:
    """The occurrence row for (standing order, date), inserted if missing (a racing insert of
    the same key is absorbed by the unique constraint)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(StandingOccurrence)
        .values(
            tenant_id=tenant.id,
            id=new_id(),
            standing_order_id=standing_order_id,
            delivery_date=nominal,
            status="scheduled",
            skipped_by_name="",
            problems=[],
            failure="",
            resolved_by_name="",
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "standing_order_id", "delivery_date"])
    )
    row = session.scalar(
        select(StandingOccurrence)
        .where(
            StandingOccurrence.standing_order_id == standing_order_id,
            StandingOccurrence.delivery_date == nominal,
        )
        .execution_options(populate_existing=True)
    )
    return row


def _open(occ: Occurrence, *allowed: str) -> None:
    if occ.state not in allowed:
        if occ.state in ("due", "generated", "needs_attention"):
            raise OccurrenceClosed(
                "This delivery's cut-off has passed: it is the order it became.", field="date"
            )
        raise OccurrenceClosed(f"This delivery is {occ.state_label.lower()}.", field="date")


def _set_status(session, row, *, to: str, from_: str, **values) -> bool:
    done = session.execute(
        update(StandingOccurrence)
        .where(StandingOccurrence.id == row.id, StandingOccurrence.status == from_)
        .values(status=to, **values)
        .returning(StandingOccurrence.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    session.refresh(row)
    return done is not None


def skip_week(
    session,
    tenant,
    *,
    actor,
    customer,
    standing_order,
    nominal: date,
    now: datetime,
    by_name: str | None = None,
) -> bool:
    """Skip one delivery before its cut-off. Returns False if it was already skipped."""
    authorize(tenant, actor, customer, now=now)
    occ = occurrence_of(session, tenant, standing_order, nominal, now=now)
    if occ.state == "skipped":
        return False
    _open(occ, "open")
    row = ensure_row(session, tenant, standing_order.id, nominal, now=now)
    name = (by_name or access.actor_name(actor))[:200]
    if not _set_status(
        session, row, to="skipped", from_="scheduled", skipped_at=now, skipped_by_name=name
    ):
        if row.status == "skipped":
            return False
        raise OccurrenceClosed("This delivery was just placed.", field="date")
    return True


def restore_week(session, tenant, *, actor, customer, standing_order, nominal: date, now):
    """Undo a skip, before the cut-off."""
    authorize(tenant, actor, customer, now=now)
    occ = occurrence_of(session, tenant, standing_order, nominal, now=now)
    if occ.state != "skipped":
        _open(occ, "skipped")
    if occ.due_at is not None and now >= occ.due_at:
        raise OccurrenceClosed("This delivery's cut-off has passed.", field="date")
    _set_status(
        session, occ.row, to="scheduled", from_="skipped", skipped_at=None, skipped_by_name=""
    )


def set_week_lines(
    session, tenant, *, actor, customer, standing_order, nominal: date, lines: Iterable[tuple], now
) -> None:
    """Replace the lines of one delivery only (quantities 0 drop a product). With no line left,
    skip that week instead."""
    authorize(tenant, actor, customer, now=now)
    occ = occurrence_of(session, tenant, standing_order, nominal, now=now)
    _open(occ, "open")
    kept = [(pid, qty) for pid, qty in lines if int(qty) > 0]
    if not kept:
        raise ValidationFailed(
            "Keep at least one product, or skip this delivery instead.", field="lines"
        )
    clean, _products = clean_lines(session, customer, kept)
    row = ensure_row(session, tenant, standing_order.id, nominal, now=now)
    done = session.execute(
        update(StandingOccurrence)
        .where(StandingOccurrence.id == row.id, StandingOccurrence.status == "scheduled")
        .values(lines_override=[[str(pid), qty] for pid, qty in clean])
        .returning(StandingOccurrence.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    if done is None:
        raise OccurrenceClosed("This delivery can no longer be changed.", field="date")
    session.refresh(row)


def reset_week_lines(session, tenant, *, actor, customer, standing_order, nominal, now) -> None:
    """Drop one week's own lines: it orders the standing order's lines again."""
    authorize(tenant, actor, customer, now=now)
    occ = occurrence_of(session, tenant, standing_order, nominal, now=now)
    _open(occ, "open")
    if occ.row is not None:
        session.execute(
            update(StandingOccurrence)
            .where(StandingOccurrence.id == occ.row.id, StandingOccurrence.status == "scheduled")
            .values(lines_override=None)
            .execution_options(synchronize_session=False)
        )


def pause(
    session, tenant, *, actor, customer, standing_order, first_day: date, last_day: date, now
) -> StandingPause:
    """Place nothing from `first_day` to `last_day` (inclusive). Weeks whose cut-off passed
    are already orders; a pause can't reach back to them."""
    authorize(tenant, actor, customer, now=now)
    if not isinstance(first_day, date) or not isinstance(last_day, date):
        raise ValidationFailed("Choose the first and last day of the pause.", field="first_day")
    if last_day < first_day:
        raise ValidationFailed("The last day comes before the first.", field="last_day")
    if (last_day - first_day).days >= MAX_PAUSE_DAYS:
        raise ValidationFailed("A pause lasts at most a year.", field="last_day")
    today = bakery_today(tenant, now)
    if first_day < today:
        raise ValidationFailed("A pause can't start in the past.", field="first_day")
    ctx = load_context(session, tenant, [standing_order], first=first_day, last=last_day)
    for nominal in nominal_dates(standing_order, first_day, min(last_day, today + timedelta(21))):
        occ = occurrence(ctx, standing_order, nominal, now)
        if occ.state in ("due", "generated"):
            raise ValidationFailed(
                f"The delivery of {nominal:%d %b} is past its cut-off; start the pause after it.",
                field="first_day",
            )
    row = StandingPause(
        tenant_id=tenant.id,
        standing_order_id=standing_order.id,
        first_day=first_day,
        last_day=last_day,
        created_by_name=access.actor_name(actor)[:200],
    )
    session.add(row)
    session.flush()
    return row


def pauses_of(session, standing_order_id, *, from_day: date) -> list[StandingPause]:
    """The standing order's pauses ending on or after `from_day`, soonest first."""
    return list(
        session.scalars(
            select(StandingPause)
            .where(
                StandingPause.standing_order_id == standing_order_id,
                StandingPause.last_day >= from_day,
            )
            .order_by(StandingPause.first_day)
        )
    )


def remove_pause(session, tenant, *, actor, customer, standing_order, pause_id, now) -> None:
    """End a pause early (weeks inside it whose cut-off is still ahead will be placed)."""
    authorize(tenant, actor, customer, now=now)
    row = get_by_id(
        session,
        StandingPause,
        pause_id,
        missing="No such pause.",
        where=[StandingPause.standing_order_id == standing_order.id],
    )
    session.delete(row)
    session.flush()
