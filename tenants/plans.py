"""Plan gating: the single source of truth for what a bakery's tier allows.

`effective_plan` derives the tier from the subscription state and an operator override;
`has_feature`, `require_feature` and `check_limit` are what views, services and jobs call.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from config.clock import utcnow
from config.extensions import db
from tenants.errors import FeatureNotAvailable, LimitReached
from tenants.features import FEATURES, LIMITS
from tenants.models import Plan, Tenant
from tenants.usage import tenant_usage

PAST_DUE_GRACE = timedelta(days=7)


def fallback_plan() -> Plan:
    """The tier bakeries fall back to when their subscription lapses."""
    plan = db.session.scalar(select(Plan).where(Plan.is_fallback.is_(True)))
    if plan is None:
        raise RuntimeError("no fallback plan is configured")
    return plan


def effective_plan(
    tenant: Tenant, *, now: datetime | None = None, fallback: Plan | None = None
) -> Plan:
    """The tier in force for `tenant` at `now` (pass `fallback` to save its look-up in lists)."""
    now = now or utcnow()
    if tenant.override_plan is not None and (
        tenant.override_expires_at is None or tenant.override_expires_at > now
    ):
        return tenant.override_plan
    status = tenant.subscription_status
    if (
        tenant.cancel_at_period_end
        and tenant.current_period_end is not None
        and tenant.current_period_end <= now
    ):
        # Cancelled at the period's end, which has passed: the tier lapses even if Stripe's
        # "deleted" event is still on its way.
        return fallback or fallback_plan()
    if status == "active":
        return tenant.plan
    if status == "trialing" and tenant.trial_ends_at is not None and tenant.trial_ends_at > now:
        return tenant.plan
    if (
        status == "past_due"
        and tenant.past_due_since is not None
        and tenant.past_due_since + PAST_DUE_GRACE > now
    ):
        return tenant.plan
    return fallback or fallback_plan()


def has_feature(tenant: Tenant, feature: str, *, now: datetime | None = None) -> bool:
    """Whether the tenant's effective tier includes `feature` (a key of FEATURES)."""
    if feature not in FEATURES:
        raise KeyError(f"unknown feature {feature!r}")
    return feature in (effective_plan(tenant, now=now).features or [])


def require_feature(tenant: Tenant, feature: str, *, now: datetime | None = None) -> None:
    """Raise FeatureNotAvailable unless the tier includes `feature`."""
    if not has_feature(tenant, feature, now=now):
        raise FeatureNotAvailable(feature, f"The {FEATURES[feature]} is not included in your plan.")


def usage(tenant: Tenant, name: str) -> int:
    """How many of what limit `name` caps the tenant has now (its session must be bound)."""
    return tenant_usage(db.session, tenant.id).get(name, 0)


def lock_tenant(tenant: Tenant) -> None:
    """Hold the bakery's row until the transaction ends, so two requests that each count and
    then add (eight "new customer" clicks at 24 of 25) take turns instead of both passing.

    PostgreSQL: `SELECT ... FOR UPDATE`. SQLite has no row locks; a no-op UPDATE takes its
    write lock, which the next writer waits for (its busy timeout).
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(Tenant).where(Tenant.id == tenant.id).values(id=Tenant.id))
    else:
        db.session.execute(select(Tenant.id).where(Tenant.id == tenant.id).with_for_update())


def check_limit(tenant: Tenant, name: str, *, adding: int = 1, now: datetime | None = None) -> None:
    """Raise LimitReached if adding `adding` more of `name` would pass the tier's limit.

    The count and the caller's insert happen under the bakery's row lock (`lock_tenant`), held
    until the caller commits, so parallel requests cannot both squeeze past the limit.
    """
    plan = effective_plan(tenant, now=now)
    allowed = plan.limit(name)
    if allowed is None:
        return
    lock_tenant(tenant)
    current = usage(tenant, name)
    if current + adding > allowed:
        raise LimitReached(
            name,
            allowed,
            f"Your {plan.name} plan allows {allowed} {LIMITS[name]}; you have {current}. "
            "Upgrade your plan to add more.",
        )
