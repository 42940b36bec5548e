"""What platform operators do: find bakeries, move them between tiers, suspend, edit tiers.

Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from config.clock import utcnow
from tenants import audit
from tenants.errors import ValidationFailed
from tenants.features import FEATURES, LIMITS
from tenants.lookup import get_by_id
from tenants.models import Plan, Tenant
from tenants.plans import effective_plan
from tenants.platform_notices import tell_owners
from tenants.usage import platform_usage


@dataclass
class BakeryRow:
    tenant: Tenant
    effective: Plan
    usage: dict[str, int]


def list_bakeries(session, *, search: str = "", now: datetime | None = None) -> list[BakeryRow]:
    """Bakeries matching `search` (name or slug) with their effective tier and usage."""
    stmt = select(Tenant).order_by(Tenant.name)
    if search.strip():
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Tenant.name).like(like), Tenant.slug.like(like)))
    tenants = list(session.scalars(stmt))
    counts = platform_usage(session)
    fallback = session.scalar(select(Plan).where(Plan.is_fallback.is_(True)))
    rows = []
    for tenant in tenants:
        plan = effective_plan(tenant, now=now, fallback=fallback)
        rows.append(BakeryRow(tenant, plan, counts.get(tenant.id, {})))
    return rows


def bakery_row(session, tenant: Tenant, *, now: datetime | None = None) -> BakeryRow:
    """One bakery's effective tier and usage, for its console page."""
    return BakeryRow(
        tenant, effective_plan(tenant, now=now), platform_usage(session).get(tenant.id, {})
    )


def get_bakery(session, tenant_id) -> Tenant:
    """The bakery with this id, or NotFound."""
    return get_by_id(session, Tenant, tenant_id, missing="No such bakery.")


def get_plan(session, plan_id) -> Plan:
    """The tier with this id, or NotFound."""
    return get_by_id(session, Plan, plan_id, missing="No such tier.")


def list_plans(session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.position, Plan.name)))


def _audited(session, tenant: Tenant, actor, action: str, now, details=None) -> Tenant:
    """Record an operator's change to `tenant` in the audit log, flush, and return the tenant."""
    audit.record(
        session,
        actor=actor.email,
        action=action,
        tenant_id=tenant.id,
        target=tenant.slug,
        details=details,
        now=now,
    )
    session.flush()
    return tenant


def change_tier(session, tenant: Tenant, *, actor, plan: Plan, now=None) -> Tenant:
    """Move a bakery to `plan` as an active subscription."""
    before = (tenant.plan.code, tenant.subscription_status)
    lost = downgrade_losses(tenant.plan, plan)
    tenant.plan_id, tenant.plan = plan.id, plan
    tenant.subscription_status = "active"
    tenant.past_due_since = None
    _audited(
        session,
        tenant,
        actor,
        "tenant.change_tier",
        now,
        {"from": before[0], "from_status": before[1], "to": plan.code},
    )
    tell_owners(
        session,
        tenant,
        headline=f"{tenant.name} is now on the {plan.name} plan",
        body=f"The platform team moved {tenant.name} to the {plan.name} plan. "
        + (f"It no longer includes: {', '.join(lost)}. Nothing was deleted. " if lost else "")
        + "Your back office's Plan page shows what it includes.",
        now=now,
    )
    return tenant


def downgrade_losses(current: Plan, new: Plan) -> list[str]:
    """What moving from `current` to `new` takes away (features, lower limits), in words; empty
    when nothing is lost. The console confirms a move that loses anything."""
    had, has = set(current.features or []), set(new.features or [])
    lost = [label for f, label in FEATURES.items() if f in had and f not in has]
    for key, label in LIMITS.items():
        before, after = current.limit(key), new.limit(key)
        if after is not None and (before is None or after < before):
            lost.append(
                f"room for {'any number of' if before is None else before} {label} (now {after})"
            )
    return lost


def set_override(session, tenant: Tenant, *, actor, plan: Plan | None, expires_at, now=None):
    """Give a bakery another tier until `expires_at` (None plan clears the override)."""
    now = now or utcnow()
    if plan is not None and expires_at is not None and expires_at <= now:
        raise ValidationFailed("The override must end in the future.", field="expires_at")
    tenant.override_plan_id = plan.id if plan else None
    tenant.override_plan = plan
    tenant.override_expires_at = expires_at if plan else None
    return _audited(
        session,
        tenant,
        actor,
        "tenant.override_tier",
        now,
        {
            "to": plan.code if plan else None,
            "expires_at": expires_at.isoformat() if expires_at and plan else None,
        },
    )


def suspend(session, tenant: Tenant, *, actor, reason: str, now=None) -> Tenant:
    """Suspend a bakery: its back office and portal show a 'suspended' page; data is kept."""
    now = now or utcnow()
    if not reason.strip():
        raise ValidationFailed("Say why the bakery is suspended.", field="reason")
    tenant.suspended_at, tenant.suspended_reason = now, reason.strip()
    _audited(session, tenant, actor, "tenant.suspend", now, {"reason": reason.strip()})
    tell_owners(
        session,
        tenant,
        headline=f"{tenant.name} is suspended on Bakery Wholesale",
        body=f"The platform team suspended {tenant.name}: {reason.strip()} Your back office "
        "and wholesale portal are unavailable until it is reactivated; nothing is deleted. "
        "Reply to this email to sort it out.",
        now=now,
    )
    return tenant


def reactivate(session, tenant: Tenant, *, actor, now=None) -> Tenant:
    """Lift a bakery's suspension."""
    tenant.suspended_at, tenant.suspended_reason = None, ""
    _audited(session, tenant, actor, "tenant.reactivate", now)
    tell_owners(
        session,
        tenant,
        headline=f"{tenant.name} is active again",
        body=f"The platform team reactivated {tenant.name}. Your back office and wholesale "
        "portal work again, with everything as you left it.",
        now=now,
    )
    return tenant


# Beyond these a number is a typo, and past 2**31 it would not fit the database's integers.
MAX_LIMIT = 1_000_000
MAX_MONTHLY_PRICE_MINOR = 10_000_000


def save_plan(
    session,
    *,
    actor,
    plan: Plan | None,
    code: str,
    name: str,
    monthly_price_minor: int,
    features: list[str],
    limits: dict[str, int | None],
    stripe_price_id: str | None = None,
    now=None,
) -> Plan:
    """Create a tier (plan None) or edit one (`stripe_price_id` None: leave it as it is)."""
    code = code.strip().lower()
    if not code or not code.replace("-", "").replace("_", "").isalnum():
        raise ValidationFailed("Use letters, digits, '-' and '_' for the code.", field="code")
    if not name.strip():
        raise ValidationFailed("Enter a name.", field="name")
    if monthly_price_minor < 0:
        raise ValidationFailed("The price can't be negative.", field="monthly_price")
    if monthly_price_minor > MAX_MONTHLY_PRICE_MINOR:
        raise ValidationFailed("That price is beyond any tier we sell.", field="monthly_price")
    unknown = set(features) - set(FEATURES)
    if unknown:
        raise ValidationFailed(
            f"Unknown feature(s): {', '.join(sorted(unknown))}.", field="features"
        )
    for key, value in limits.items():
        if key not in LIMITS:
            raise ValidationFailed(f"Unknown limit {key}.")
        if value is not None and value < 0:
            raise ValidationFailed("Limits can't be negative.", field=f"max_{key}")
        if value is not None and value > MAX_LIMIT:
            raise ValidationFailed(
                f"Use at most {MAX_LIMIT:,}, or leave it blank for unlimited.", field=f"max_{key}"
            )
    if stripe_price_id is not None:
        stripe_price_id = stripe_price_id.strip()
        if stripe_price_id and not stripe_price_id.startswith("price_"):
            raise ValidationFailed(
                "A Stripe price id starts with price_ (Stripe dashboard › Products).",
                field="stripe_price_id",
            )
        taken = (
            session.scalar(select(Plan.id).where(Plan.stripe_price_id == stripe_price_id))
            if stripe_price_id
            else None
        )
        if taken and (plan is None or taken != plan.id):
            raise ValidationFailed("Another tier has this Stripe price.", field="stripe_price_id")
    clash = session.scalar(select(Plan.id).where(Plan.code == code))
    if clash and (plan is None or clash != plan.id):
        raise ValidationFailed("Another tier has this code.", field="code")
    created = plan is None
    if created:
        plan = Plan(position=(session.scalar(select(func.max(Plan.position))) or 0) + 1)
        session.add(plan)
    before = {} if created else _plan_snapshot(plan)
    plan.code, plan.name, plan.monthly_price_minor = code, name.strip(), monthly_price_minor
    plan.features = sorted(features)
    if stripe_price_id is not None:
        plan.stripe_price_id = stripe_price_id
    for key, value in limits.items():
        setattr(plan, f"max_{key}", value)
    session.flush()
    audit.record(
        session,
        actor=actor.email,
        action="plan.create" if created else "plan.update",
        target=code,
        details={"before": before, "after": _plan_snapshot(plan)},
        now=now,
    )
    return plan


def _plan_snapshot(plan: Plan) -> dict:
    return {
        "code": plan.code,
        "name": plan.name,
        "monthly_price_minor": plan.monthly_price_minor,
        "stripe_price_id": plan.stripe_price_id or "",
        "features": list(plan.features or []),
        **{f"max_{k}": plan.limit(k) for k in LIMITS},
    }


def audit_entries(session, *, tenant_id=None, limit: int = 200):
    stmt = select(audit.AuditEntry).order_by(audit.AuditEntry.at.desc(), audit.AuditEntry.id.desc())
    if tenant_id is not None:
        stmt = stmt.where(audit.AuditEntry.tenant_id == tenant_id)
    return list(session.scalars(stmt.limit(limit)))
