"""A bakery signs up: the tenant, its owner, a 14-day Professional trial; the owner confirms
their email address before the bakery may mail anyone else (`tenants.mail_gates`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from config.clock import utcnow
from tenants.errors import ValidationFailed
from tenants.locales import validate_currency, validate_locale, validate_timezone
from tenants.models import Plan, Tenant
from tenants.outbox import queue_email, token_link
from tenants.passwords import check_password_strength
from tenants.scoping import bind_tenant
from tenants.slugs import validate_slug
from tenants.staff.services import create_owner
from tenants.tokens import consume_token, peek_token

TRIAL = timedelta(days=14)
VERIFY_PURPOSE = "owner_verify"
VERIFY_TTL = timedelta(days=7)
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
    email_verified: bool = False,
    now: datetime | None = None,
) -> tuple[Tenant, object]:
    """Create a bakery and its owner, and bind `session` to the new bakery.

    A bakery signed up from the web starts unconfirmed (`request_owner_verification` mails the
    link); `email_verified=True` is for bakeries set up by the platform itself (the demo).
    """
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
        owner_email_verified_at=now if email_verified else None,
    )
    session.add(tenant)
    session.flush()
    bind_tenant(session, tenant.id)
    owner = create_owner(session, tenant, email=email, name=owner_name, password=password)
    return tenant, owner


def request_owner_verification(session, tenant, owner, *, now: datetime | None = None) -> None:
    """Email the owner a link that confirms their address (a new link revokes the last)."""
    if tenant.owner_email_verified_at is not None:
        raise ValidationFailed("Your email address is already confirmed.")
    queue_email(
        session,
        tenant,
        to_email=owner.email,
        to_name=owner.name,
        template="owner_verify_email",
        context={"name": owner.name},
        token_link=token_link(
            purpose=VERIFY_PURPOSE,
            subject_id=owner.id,
            ttl=VERIFY_TTL,
            path=f"/admin/{tenant.slug}/confirm-email/{{token}}",
        ),
        now=now,
    )


def owner_verification_works(session, token: str, *, now: datetime | None = None) -> bool:
    """Whether a confirmation link is live (for the GET page; does not use it)."""
    return peek_token(session, token, purpose=VERIFY_PURPOSE, now=now) is not None


def confirm_owner_email(session, tenant, *, token: str, now: datetime | None = None) -> Tenant:
    """Use a confirmation link: the bakery may now mail its team and customers."""
    now = now or utcnow()
    if consume_token(session, token, purpose=VERIFY_PURPOSE, now=now) is None:
        raise ValidationFailed("This confirmation link has expired or was already used.")
    tenant.owner_email_verified_at = tenant.owner_email_verified_at or now
    session.flush()
    return tenant
