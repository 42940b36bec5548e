"""Per-bakery order numbers (1, 2, 3...), consecutive and safe under concurrent placement.

One row per bakery in `order_counters`, bumped by a single INSERT ... ON CONFLICT DO UPDATE
... RETURNING inside the placing transaction. The row lock it takes serialises concurrent
placements of one bakery (only at this statement, at the end of placement), and a placement
that rolls back gives its number back, so there are no gaps and no repeats.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite

from tenants.base import new_id
from tenants.orders.models import OrderCounter


def next_order_number(session, tenant, *, now: datetime) -> int:
    """Take the bound bakery's next order number."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(OrderCounter).values(
        tenant_id=tenant.id, id=new_id(), last_number=1, created_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["tenant_id"],
        set_={"last_number": stmt.table.c.last_number + 1},
    ).returning(OrderCounter.last_number)
    return session.execute(stmt).scalar_one()
