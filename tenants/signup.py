"""A bakery signs up: the tenant, its owner, a 14-day Professional trial."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from config.clock import utcnow
from tenants.errors import ValidationFailed
from tenants.locales import validate_currency, validate_locale, validate_timezone
from tenants.models import Plan, Tenant
from tenants.passwords import check_password_strength
from tenants.scoping import bind_tenant
from tenants.slugs import validate_slug
from tenants.staff.services import create_owner

TRIAL = timedelta(days=14)
TRIAL_PLAN = "professional"


def sign_up_bakery(
    session,
    *,
    name: str,
    slug: str,
    owner_name: str,
    email: str,
    password: str,
    timezone: str,
    currency: str,
    locale: str,
    now: datetime | None = None,
) -> tuple[Tenant, object]:
    """Create a bakery and its owner, and bind `session` to the new bakery."""
    now = now or utcnow()
    if not name.strip():
        raise ValidationFailed("Enter your bakery's name.", field="name")
    validate_slug(slug)
    validate_timezone(timezone)
    currency = validate_currency(currency)
    validate_locale(locale)
    check_password_strength(password)
    if session.scalar(select(Tenant.id).where(Tenant.slug == slug)):
        raise ValidationFailed("This address is taken. Try another.", field="slug")
    plan = session.scalar(select(Plan).where(Plan.code == TRIAL_PLAN))
    if plan is None:
        raise RuntimeError(f"the {TRIAL_PLAN!r} plan is missing")
    tenant = Tenant(
        slug=slug,
        name=name.strip(),
        timezone=timezone,
        currency=currency,
        locale=locale,
        contact_email=email.strip().lower(),
        plan_id=plan.id,
        plan=plan,
        subscription_status="trialing",
        trial_ends_at=now + TRIAL,
        created_at=now,
    )
    session.add(tenant)
    session.flush()
    bind_tenant(session, tenant.id)
    owner = create_owner(session, tenant, email=email, name=owner_name, password=password)
    return tenant, owner
