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


def request_upgrade(session, tenant: Tenant, *, actor, plan, now: datetime | None = None):
    """A bakery asks the operators to move it to `plan`: recorded in the audit log and mailed
    to every active operator through the outbox (the Stripe issue later makes it a checkout).
    Returns the audit entry."""
    from tenants import audit
    from tenants.errors import ValidationFailed
    from tenants.operators import Operator
    from tenants.plans import effective_plan

    current = effective_plan(tenant, now=now)
    if plan.id == current.id:
        raise ValidationFailed(f"{tenant.name} is already on {plan.name}.")
    entry = audit.record(
        session,
        actor=actor.email,
        action="tenant.upgrade_request",
        tenant_id=tenant.id,
        target=tenant.slug,
        details={"from": current.code, "to": plan.code, "by": actor.name},
        now=now,
    )
    for operator in session.scalars(select(Operator).where(Operator.active.is_(True))):
        queue_email(
            session,
            tenant,
            to_email=operator.email,
            to_name=operator.name,
            template="notice",
            context={
                "headline": f"{tenant.name} asks to move to {plan.name}",
                "body": f"{actor.name} ({actor.email}) of {tenant.name} asked to move from "
                f"{current.name} to {plan.name}. Change the tier in the platform console.",
                "recipient_name": operator.name,
            },
            now=now,
        )
    session.flush()
    return entry
