"""Mail between the platform and a bakery: the owner hears of an operator's tier change,
suspension or reactivation, and the operators hear of a bakery's upgrade request. All of it
goes through the outbox (tenants.outbox) like every other email.

The console acts on one bakery per request, so these bind the request's session to that
bakery (the outbox row and the owner are the bakery's, and row-level security needs to know
whose); a session already bound to another bakery refuses (TenantSwitch).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tenants.models import Tenant
from tenants.outbox import queue_email
from tenants.scoping import bind_tenant
from tenants.staff.models import StaffUser

# Platform notices reach the owner even while the bakery is suspended (jobs.mail holds the
# bakery's own mail then): a suspension notice held until reactivation would say nothing.
PLATFORM_TEMPLATE = "platform_notice"


def owners(session, tenant: Tenant) -> list[StaffUser]:
    """The bakery's active owners (the people a platform notice goes to)."""
    return list(
        session.scalars(
            select(StaffUser)
            .where(StaffUser.role == "owner", StaffUser.status == "active")
            .order_by(StaffUser.email)
        )
    )


def tell_owners(session, tenant: Tenant, *, headline: str, body: str, now: datetime | None = None):
    """Queue `headline` / `body` to each of the bakery's owners; returns the outbox rows."""
    bind_tenant(session, tenant.id)
    return [
        queue_email(
            session,
            tenant,
            to_email=owner.email,
            to_name=owner.name,
            template=PLATFORM_TEMPLATE,
            context={"headline": headline, "body": body, "recipient_name": owner.name},
            now=now,
        )
        for owner in owners(session, tenant)
    ]
