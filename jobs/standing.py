"""Standing-order periodic work for one bakery (registered in `jobs.schedule.TENANT_TASKS`):
each hour, place the occurrences whose cut-off passed, and mail the previews now due. Both are
safe to run any number of times: each occurrence is placed, and previewed, once."""

from __future__ import annotations

from config.clock import utcnow
from config.extensions import db
from tenants.orders.standing_generate import generate_due, send_previews


def generate(tenant, *, period: str) -> dict[str, int]:
    """Turn this bakery's due occurrences into orders."""
    result = generate_due(db.session, tenant, now=utcnow())
    return {"placed": len(result.placed), "failed": len(result.failed)}


def previews(tenant, *, period: str) -> dict[str, int]:
    """Mail this bakery's due standing-order previews."""
    return {"previews": send_previews(db.session, tenant, now=utcnow())}
