"""The van route: each delivery location's stop number, which orders packing slips.

Staff move one stop at a time: putting a location at position N shifts the stops from N on one
place down, like moving an item in a list, so numbers stay 1..n without gaps or ties (the page
works with number inputs and no script; the drag script sends the same request). An empty
position takes the location off the route.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, select

from tenants.actors import require
from tenants.customers.models import Customer, DeliveryLocation
from tenants.errors import NotFound
from tenants.production.models import RoutePosition
from tenants.scoping import check_bound

MAX_STOPS = 10_000


@dataclass(frozen=True)
class Stop:
    """A delivery location and its route position (None: not on the route yet)."""

    location_id: uuid.UUID
    location_name: str
    address: str
    customer_name: str
    position: int | None


def route_stops(session, tenant) -> list[Stop]:
    """Every delivery location of the bakery's customers: numbered stops first, in order, then
    the rest by customer and location name. One statement."""
    check_bound(session, tenant)
    rows = session.execute(
        select(DeliveryLocation, Customer.trading_name, Customer.business_name, RoutePosition)
        .join(
            Customer,
            and_(
                Customer.tenant_id == DeliveryLocation.tenant_id,
                Customer.id == DeliveryLocation.customer_id,
            ),
        )
        .outerjoin(
            RoutePosition,
            and_(
                RoutePosition.tenant_id == DeliveryLocation.tenant_id,
                RoutePosition.location_id == DeliveryLocation.id,
            ),
        )
    ).all()
    stops = [
        Stop(loc.id, loc.name, loc.address, trading or business, pos.position if pos else None)
        for loc, trading, business, pos in rows
    ]
    return sorted(
        stops,
        key=lambda s: (
            s.position is None,
            s.position or 0,
            s.customer_name.casefold(),
            s.location_name.casefold(),
        ),
    )


def get_location(session, location_id: uuid.UUID) -> DeliveryLocation:
    """The bound bakery's delivery location, or NotFound (another bakery's is not found)."""
    location = session.scalar(select(DeliveryLocation).where(DeliveryLocation.id == location_id))
    if location is None:
        raise NotFound("No such delivery location.")
    return location


def move_stop(
    session, tenant, *, actor, location_id: uuid.UUID, position: int | None, now: datetime
) -> int | None:
    """Put the location at stop `position` (1 = first; past the end = last), shifting the
    others; None takes it off the route. Returns the position it got."""
    check_bound(session, tenant)
    require(actor, "orders", message="You may not change the delivery route.")
    get_location(session, location_id)
    current = list(session.scalars(select(RoutePosition).order_by(RoutePosition.position)))
    mine = next((r for r in current if r.location_id == location_id), None)
    others = [r for r in current if r is not mine]
    if position is not None:
        index = max(0, min(position - 1, len(others), MAX_STOPS))
        if mine is None:
            mine = RoutePosition(tenant_id=tenant.id, location_id=location_id, position=1)
            session.add(mine)
        others.insert(index, mine)
    elif mine is not None:
        session.execute(
            delete(RoutePosition)
            .where(RoutePosition.id == mine.id)
            .execution_options(synchronize_session=False)
        )
        session.expunge(mine)
    # Renumber 1..n: a stop removed or inserted closes or opens its gap.
    for number, row in enumerate(others, start=1):
        if row.position != number or row is mine:
            row.position = number
            row.updated_at = now
    session.flush()
    return None if position is None else others.index(mine) + 1
