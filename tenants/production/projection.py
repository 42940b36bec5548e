"""The seam between production sheets and standing orders: the lines of standing-order
occurrences for a date that have not become orders yet ("projected").

They come from `tenants.orders.standing.projected_lines(session, tenant, delivery_date)` (the
standing-orders work: occurrences not skipped, paused or closed, with per-week changes and
closure moves applied). The sheet takes them as a separate input
(`production_sheet(..., projected=...)`), so it never needs to know how occurrences are worked
out, and its tests can hand it lines directly.
"""

from __future__ import annotations

from datetime import date

from tenants.orders.standing import ProjectedLine
from tenants.orders.standing import projected_lines as standing_projected_lines

__all__ = ["ProjectedLine", "projected_lines"]


def projected_lines(session, tenant, delivery_date: date) -> list[ProjectedLine]:
    """The projected lines for `delivery_date` from the bakery's standing orders."""
    return standing_projected_lines(session, tenant, delivery_date)
