"""Stripe Connect: a bakery connects its own Stripe account so buyers can pay it online.

Onboarding runs on Stripe (Account Links); the bakery's status here (not connected, onboarding,
active, restricted, with what Stripe still asks for) is re-read from the account on the way
back, on every `account.updated` webhook and nightly. Disconnecting forgets the account: pay
buttons disappear (`payments_enabled` says no) and nothing else changes. The invoice-payment
work asks `payments_enabled(tenant)` before it shows a pay button.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from billing import stripe_gateway as gateway
from config.clock import utcnow
from tenants import audit
from tenants.actors import require
from tenants.errors import ValidationFailed
from tenants.models import Tenant
from tenants.plans import has_feature, require_feature

STATUS_LABELS = {
    "": "Not connected",
    "onboarding": "Onboarding",
    "active": "Active",
    "restricted": "Restricted",
}


def payments_enabled(tenant: Tenant, *, now: datetime | None = None) -> bool:
    """Whether the bakery's buyers may pay online now: Stripe on, the tier includes
    online payments, and a connected account that can take charges."""
    return (
        gateway.is_on()
        and bool(tenant.stripe_account_id)
        and tenant.stripe_account_status == "active"
        and has_feature(tenant, "online_payments", now=now)
    )


def tenant_by_account(session, account_id: str | None) -> Tenant | None:
    """The bakery whose connected account is `account_id` (a directory look-up)."""
    if not account_id:
        return None
    return session.scalar(select(Tenant).where(Tenant.stripe_account_id == account_id))


def status_of(account: dict) -> tuple[str, list[str]]:
    """(status, what Stripe still asks for) of a Stripe account object."""
    requirements = account.get("requirements") or {}
    due = sorted(
        set(requirements.get("currently_due") or []) | set(requirements.get("past_due") or [])
    )
    if account.get("charges_enabled") and account.get("payouts_enabled"):
        return ("restricted" if requirements.get("disabled_reason") else "active"), due
    if not account.get("details_submitted"):
        return "onboarding", due
    return "restricted", due


def apply_account(session, tenant: Tenant, account: dict) -> dict:
    """Bring the bakery's Connect status in line with `account`; {field: (before, after)}."""
    if account.get("id") != tenant.stripe_account_id:
        return {}  # an account the bakery disconnected since: not ours to describe
    status, due = status_of(account)
    changes = {}
    for field, value in (("stripe_account_status", status), ("stripe_account_due", due)):
        before = getattr(tenant, field)
        if before != value:
            changes[field] = (str(before), str(value))
            setattr(tenant, field, value)
    session.flush()
    return changes


def start_onboarding(
    session, tenant: Tenant, *, actor, refresh_url: str, return_url: str, now=None
) -> str:
    """The Stripe onboarding page for the bakery's account, creating the account first time."""
    now = now or utcnow()
    require(actor, "settings")
    require_feature(tenant, "online_payments", now=now)
    if not tenant.stripe_account_id:
        generation = (
            tenant.stripe_account_disconnected_at.strftime("%Y%m%d%H%M%S")
            if tenant.stripe_account_disconnected_at
            else "first"
        )
        account = gateway.create_connected_account(
            tenant_id=tenant.id,
            email=tenant.contact_email,
            name=tenant.name,
            generation=generation,
        )
        tenant.stripe_account_id = account["id"]
        tenant.stripe_account_status, tenant.stripe_account_due = status_of(account)
        session.flush()
    return gateway.create_account_link(
        account_id=tenant.stripe_account_id,
        refresh_url=refresh_url,
        return_url=return_url,
        now=now,
    )["url"]


def refresh_account(session, tenant: Tenant) -> dict:
    """Re-read the connected account from Stripe (the return URL, the nightly reconcile)."""
    if not gateway.is_on() or not tenant.stripe_account_id:
        return {}
    return apply_account(session, tenant, gateway.retrieve_account(tenant.stripe_account_id))


def disconnect(session, tenant: Tenant, *, actor, now: datetime | None = None) -> None:
    """Stop taking online payments through the connected account (the account stays the
    bakery's on Stripe; connecting again makes a new one)."""
    require(actor, "settings")
    if not tenant.stripe_account_id:
        raise ValidationFailed(f"{tenant.name} has no Stripe account connected.")
    tenant.stripe_account_id = None
    tenant.stripe_account_status = ""
    tenant.stripe_account_due = []
    tenant.stripe_account_disconnected_at = now or utcnow()
    session.flush()


def reconcile_account(session, tenant: Tenant, *, now: datetime | None = None) -> dict:
    """The nightly check of the connected account; corrections go to the audit log."""
    changes = refresh_account(session, tenant)
    if changes:
        audit.record(
            session,
            actor="Stripe reconcile",
            action="tenant.stripe_reconcile",
            tenant_id=tenant.id,
            target=tenant.slug,
            details={"corrected": {k: [b, a] for k, (b, a) in changes.items()}},
            now=now,
        )
    return changes
