"""The customer's activity log: every change by staff, an account owner or the system."""

from __future__ import annotations

from sqlalchemy import select

from config.clock import utcnow
from tenants.actors import as_actor
from tenants.customers.models import CustomerActivity


def actor_fields(actor) -> dict:
    """(kind, id, name) of whoever acts (see tenants.actors; None is the system)."""
    actor = as_actor(actor)
    return {"actor_kind": actor.kind, "actor_id": actor.id, "actor_name": actor.name}


def log_activity(session, customer, *, actor, action: str, summary: str, details=None, now=None):
    """Append one entry to `customer`'s activity log; it commits with the change it describes."""
    entry = CustomerActivity(
        tenant_id=customer.tenant_id,
        customer_id=customer.id,
        at=now or utcnow(),
        action=action,
        summary=summary,
        details=details or {},
        **actor_fields(actor),
    )
    session.add(entry)
    return entry


def list_activity(session, customer, *, limit: int = 50) -> list[CustomerActivity]:
    """The latest entries of `customer`'s log, newest first."""
    return list(
        session.scalars(
            select(CustomerActivity)
            .where(CustomerActivity.customer_id == customer.id)
            .order_by(CustomerActivity.at.desc(), CustomerActivity.created_at.desc())
            .limit(limit)
        )
    )
