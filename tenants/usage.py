"""How much of each tier limit bakeries use.

One SQL text counts every capped table, per tenant. For one bakery the app runs it directly (RLS
and a tenant filter restrict it). Operators need every bakery's numbers, which row-level security
rightly hides from the app's role, so on PostgreSQL the same SQL is the body of a SECURITY DEFINER
function `platform_tenant_usage()` that the migrations own: it hands out counts, never rows.
A migration that adds a capped table redefines the function with the new USAGE_SQL.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Integer, String, Uuid, bindparam, text

USAGE_SQL = """
SELECT tenant_id, 'customers' AS name, count(*) AS used FROM customers GROUP BY tenant_id
UNION ALL
SELECT tenant_id, 'staff_users' AS name, count(*) AS used FROM staff_users
  WHERE status <> 'disabled' GROUP BY tenant_id
UNION ALL
SELECT tenant_id, 'products' AS name, count(*) AS used FROM products GROUP BY tenant_id
"""

_COLUMNS = {"tenant_id": Uuid, "name": String, "used": Integer}


def tenant_usage(session, tenant_id: uuid.UUID) -> dict[str, int]:
    """{limit name: count} for one tenant (the session must be bound to it)."""
    stmt = text(
        f"SELECT name, sum(used) AS used FROM ({USAGE_SQL}) AS u "  # noqa: S608 - constant SQL
        "WHERE tenant_id = :tenant_id GROUP BY name"
    ).bindparams(bindparam("tenant_id", type_=Uuid))
    return {name: int(used) for name, used in session.execute(stmt, {"tenant_id": tenant_id})}


def platform_usage(session) -> dict[uuid.UUID, dict[str, int]]:
    """{tenant id: {limit name: count}} for every bakery, in one query."""
    if session.get_bind().dialect.name == "postgresql":
        stmt = text("SELECT tenant_id, name, used FROM platform_tenant_usage()")
    else:
        stmt = text(USAGE_SQL)
    result: dict[uuid.UUID, dict[str, int]] = {}
    for tenant_id, name, used in session.execute(stmt.columns(**_COLUMNS)):
        result.setdefault(tenant_id, {})[name] = int(used)
    return result
