"""The seam between production sheets and standing orders: the lines of standing-order
occurrences for a date that have not become orders yet ("projected").

The standing-orders work publishes `tenants.orders.standing.projected_lines(session, tenant,
delivery_date)`; until that module exists here, nothing is projected. The sheet takes projected
lines as a separate input (`production_sheet(..., projected=...)`), so it never needs to know how
occurrences are worked out, and tests hand it lines directly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ProjectedLine:
    """One product of a standing-order occurrence that will be generated for the date."""

    product_id: uuid.UUID
    quantity: int
    customer_id: uuid.UUID
    location_id: uuid.UUID
    standing_order_id: uuid.UUID


def projected_lines(session, tenant, delivery_date: date) -> list:
    """The projected lines for `delivery_date` from standing orders, or [] when the
    standing-orders module is not part of this build."""
    try:
        from tenants.orders import standing
    except ImportError:
        return []
    source = getattr(standing, "projected_lines", None)
    return list(source(session, tenant, delivery_date)) if source else []
