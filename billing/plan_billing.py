"""The bakeries pay the platform for their tier through Stripe Billing.

The owner subscribes through Checkout (subscription mode) and switches tier or manages card and
invoices in Stripe's customer portal. The tenant row keeps the subscription's state in step;
`tenants.plans.effective_plan` turns that state into the tier in force. Every change comes from
Stripe's *current* object (a webhook only says "look again"), so repeated or out-of-order
deliveries end in the same state, and the nightly `reconcile` corrects whatever drifted.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import select

from billing import stripe_gateway as gateway
from config.clock import utcnow
from tenants import audit
from tenants.actors import require
from tenants.errors import ValidationFailed
from tenants.models import Plan, Tenant
from tenants.platform_notices import tell_owners

log = logging.getLogger(__name__)

# Stripe's subscription statuses -> the tenant's (tenants.models.SUBSCRIPTION_STATES). None: no
# say over the tier (a first payment still pending, or a checkout that expired unpaid).
STATUS_MAP = {
    "trialing": "trialing",
    "active": "active",
    "past_due": "past_due",
    "unpaid": "unpaid",
    "canceled": "canceled",
    "paused": "unpaid",  # a trial ended without a card: no tier until they pay
    "incomplete": None,
    "incomplete_expired": None,
}
# A subscription in one of these still bills (or may): a bakery has at most one.
LIVE = frozenset({"trialing", "active", "past_due", "unpaid", "paused", "incomplete"})
RECONCILE_ACTOR = "Stripe reconcile"


def _at(timestamp) -> datetime | None:
    return datetime.fromtimestamp(int(timestamp), UTC) if timestamp else None


def _first_item(sub: dict) -> dict:
    items = (sub.get("items") or {}).get("data") or []
    return items[0] if items else {}


def _price_id(sub: dict) -> str:
    return (_first_item(sub).get("price") or {}).get("id", "")


def tenant_by_customer(session, customer_id: str | None) -> Tenant | None:
    """The bakery whose platform customer is `customer_id` (a directory look-up, no bakery
    bound yet)."""
    if not customer_id:
        return None
    return session.scalar(select(Tenant).where(Tenant.stripe_customer_id == customer_id))


def apply_subscription(session, tenant: Tenant, sub: dict, *, now: datetime | None = None):
    """Bring `tenant` in line with subscription `sub` as Stripe has it now.

    Returns {field: (before, after)} of what changed, as text ({} when nothing did). A
    subscription other than the bakery's live one is adopted only when it is live and the
    bakery's is not (a re-subscription after a cancellation); otherwise it is ignored, so a
    late event about an old subscription cannot end the new one.
    """
    now = now or utcnow()
    status = sub.get("status", "")
    if (
        tenant.stripe_subscription_id
        and tenant.stripe_subscription_id != sub.get("id")
        and (tenant.stripe_subscription_status in LIVE or status not in LIVE)
    ):
        return {}
    if not tenant.stripe_subscription_id and status not in LIVE:
        return {}
    wanted: dict = {
        "stripe_subscription_id": sub.get("id"),
        "stripe_subscription_status": status,
        "cancel_at_period_end": bool(sub.get("cancel_at_period_end")),
        "current_period_end": _at(
            _first_item(sub).get("current_period_end") or sub.get("current_period_end")
        ),
    }
    mapped = STATUS_MAP.get(status)
    if mapped is not None:
        wanted["subscription_status"] = mapped
        if mapped == "past_due":
            wanted["past_due_since"] = (
                tenant.past_due_since if tenant.subscription_status == "past_due" else now
            ) or now
        else:
            wanted["past_due_since"] = None
    if sub.get("trial_end"):
        wanted["trial_ends_at"] = _at(sub["trial_end"])
    price = _price_id(sub)
    plan = session.scalar(select(Plan).where(Plan.stripe_price_id == price)) if price else None
    if plan is not None and mapped is not None:
        # An incomplete first payment buys nothing yet: the tier moves once Stripe has a status
        # that decides it (a trial of the new tier, active, past due...).
        wanted["plan_id"] = plan.id
    elif price:
        log.warning("bakery %s subscribes to price %s, which no tier has", tenant.id, price)
    changes = {}
    for field, value in wanted.items():
        before = getattr(tenant, field)
        if before != value:
            changes[field] = (_text(session, field, before), _text(session, field, value))
            setattr(tenant, field, value)
    if "plan_id" in changes:
        tenant.plan = plan
    session.flush()
    return changes


def _text(session, field: str, value) -> str:
    if value is None:
        return ""
    if field == "plan_id":
        plan = session.get(Plan, value)
        return plan.code if plan else str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return str(value)


def _subscription_of_invoice(invoice: dict) -> str | None:
    # API versions since 2025-03 name it under parent.subscription_details; older at the top.
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    found = parent.get("subscription") or invoice.get("subscription")
    return found if isinstance(found, str) else (found or {}).get("id")


# --- Applying platform webhook events: each re-reads the object, then applies its state ---


def _sync(session, customer_id, subscription_id, *, now) -> tuple[str, Tenant | None]:
    tenant = tenant_by_customer(session, customer_id)
    if tenant is None:
        return "unmatched", None
    sub = gateway.retrieve_subscription(subscription_id)
    changes = apply_subscription(session, tenant, sub, now=now)
    summary = ", ".join(f"{k} {b or '-'} -> {a or '-'}" for k, (b, a) in changes.items())
    return (summary or "no change"), tenant


def on_checkout_completed(session, event, *, now):
    checkout = gateway.retrieve_checkout_session(event.object_id)
    if checkout.get("mode") != "subscription" or not checkout.get("subscription"):
        return "ignored", "not a subscription checkout"
    outcome, tenant = _sync(session, checkout.get("customer"), checkout["subscription"], now=now)
    return ("unmatched" if tenant is None else "applied"), outcome


def on_subscription_changed(session, event, *, now):
    sub = gateway.retrieve_subscription(event.object_id)
    tenant = tenant_by_customer(session, sub.get("customer"))
    if tenant is None:
        return "unmatched", f"customer {sub.get('customer')} is no bakery of ours"
    changes = apply_subscription(session, tenant, sub, now=now)
    return "applied", ", ".join(f"{k} -> {a or '-'}" for k, (_b, a) in changes.items()) or (
        "no change"
    )


def on_invoice(session, event, *, now):
    invoice = gateway.retrieve_invoice(event.object_id)
    subscription_id = _subscription_of_invoice(invoice)
    if not subscription_id:
        return "ignored", "not a subscription invoice"
    outcome, tenant = _sync(session, invoice.get("customer"), subscription_id, now=now)
    return ("unmatched" if tenant is None else "applied"), outcome


def on_trial_will_end(session, event, *, now):
    """Stripe sends this three days before a trial ends: sync, and tell the owners once (the
    event is applied once, so the email is written once)."""
    sub = gateway.retrieve_subscription(event.object_id)
    tenant = tenant_by_customer(session, sub.get("customer"))
    if tenant is None:
        return "unmatched", f"customer {sub.get('customer')} is no bakery of ours"
    apply_subscription(session, tenant, sub, now=now)
    if sub.get("status") != "trialing" or not sub.get("trial_end"):
        return "applied", "trial already over: no email"
    ends = _at(sub["trial_end"])
    has_card = bool(sub.get("default_payment_method"))
    tell_owners(
        session,
        tenant,
        headline=f"Your {tenant.plan.name} trial ends on {ends:%d %B %Y}",
        body=(
            f"{tenant.name}'s trial of the {tenant.plan.name} plan ends on {ends:%d %B %Y}. "
            + (
                "Your card on file is charged then; nothing to do."
                if has_card
                else "Add a card under Plan and billing in the back office to keep your plan."
            )
        ),
        now=now,
    )
    return "applied", f"trial ends {ends:%Y-%m-%d}: owners emailed"


PLATFORM_HANDLERS = {
    "checkout.session.completed": on_checkout_completed,
    "customer.subscription.created": on_subscription_changed,
    "customer.subscription.updated": on_subscription_changed,
    "customer.subscription.deleted": on_subscription_changed,
    "invoice.paid": on_invoice,
    "invoice.payment_failed": on_invoice,
    "customer.subscription.trial_will_end": on_trial_will_end,
}


# --- What the owner does from "Plan and billing" ---


def _ensure_customer(session, tenant: Tenant) -> str:
    if not tenant.stripe_customer_id:
        customer = gateway.create_customer(
            tenant_id=tenant.id, name=tenant.name, email=tenant.contact_email
        )
        tenant.stripe_customer_id = customer["id"]
        session.flush()
    return tenant.stripe_customer_id


def start_plan_change(
    session,
    tenant: Tenant,
    *,
    actor,
    plan: Plan,
    success_url: str,
    cancel_url: str,
    now: datetime | None = None,
) -> str:
    """The Stripe page where the owner pays for `plan`: Checkout for a first subscription, the
    customer portal's confirm page for switching a live one (Checkout would start a second
    subscription and bill twice). The view commits (the customer id) and redirects there."""
    now = now or utcnow()
    require(actor, "settings")
    if not plan.stripe_price_id:
        raise ValidationFailed(f"{plan.name} can't be bought online; request it instead.")
    customer = _ensure_customer(session, tenant)
    if tenant.stripe_subscription_id and tenant.stripe_subscription_status in LIVE:
        sub = gateway.retrieve_subscription(tenant.stripe_subscription_id)
        if _price_id(sub) == plan.stripe_price_id:
            raise ValidationFailed(f"{tenant.name} already subscribes to {plan.name}.")
        return gateway.create_portal_session(
            tenant_id=tenant.id,
            customer_id=customer,
            return_url=success_url,
            now=now,
            subscription_id=sub["id"],
            item_id=_first_item(sub).get("id"),
            price_id=plan.stripe_price_id,
        )["url"]
    trial_end = tenant.trial_ends_at if tenant.subscription_status == "trialing" else None
    return gateway.create_subscription_checkout(
        tenant_id=tenant.id,
        customer_id=customer,
        price_id=plan.stripe_price_id,
        success_url=success_url,
        cancel_url=cancel_url,
        trial_end=trial_end,
        now=now,
    )["url"]


def open_portal(session, tenant: Tenant, *, actor, return_url: str, now=None) -> str:
    """Stripe's customer portal (card, invoices, cancel) for a bakery that has subscribed."""
    require(actor, "settings")
    if not tenant.stripe_customer_id:
        raise ValidationFailed("Subscribe to a plan first; then you can manage it here.")
    return gateway.create_portal_session(
        tenant_id=tenant.id,
        customer_id=tenant.stripe_customer_id,
        return_url=return_url,
        now=now or utcnow(),
    )["url"]


# --- The nightly reconcile ---


def reconcile_subscription(session, tenant: Tenant, *, now: datetime | None = None) -> dict:
    """Re-read the bakery's subscription from Stripe and correct what drifted; the corrections
    go to the audit log (operators read them per bakery). Returns them."""
    now = now or utcnow()
    if not gateway.is_on() or not tenant.stripe_customer_id:
        return {}
    if tenant.stripe_subscription_id:
        sub = gateway.retrieve_subscription(tenant.stripe_subscription_id)
        changes = apply_subscription(session, tenant, sub, now=now)
    else:
        changes = {}
    if not changes and tenant.stripe_subscription_status not in LIVE:
        # A subscription we never heard of (its webhook lost): adopt the newest live one.
        for sub in gateway.list_subscriptions(tenant.stripe_customer_id):
            if sub.get("status") in LIVE:
                changes = apply_subscription(session, tenant, sub, now=now)
                break
    if changes:
        audit.record(
            session,
            actor=RECONCILE_ACTOR,
            action="tenant.stripe_reconcile",
            tenant_id=tenant.id,
            target=tenant.slug,
            details={"corrected": {k: [b, a] for k, (b, a) in changes.items()}},
            now=now,
        )
    return changes
