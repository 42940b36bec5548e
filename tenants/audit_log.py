"""The operators' audit log as people read it: sentences ("Pat changed Little Crumb from
Starter to Professional") with the bakery they concern, filtered by bakery, action and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from tenants.audit import AuditEntry
from tenants.models import Plan, Tenant
from tenants.operators import Operator

# Action codes, as the filter's choices name them.
ACTIONS: dict[str, str] = {
    "tenant.change_tier": "Tier changed",
    "tenant.override_tier": "Tier override",
    "tenant.suspend": "Bakery suspended",
    "tenant.reactivate": "Bakery reactivated",
    "tenant.upgrade_request": "Upgrade requested",
    "plan.create": "Tier created",
    "plan.update": "Tier edited",
    "tenant.stripe_reconcile": "Stripe state corrected",
}


@dataclass(frozen=True)
class AuditLine:
    """One entry with its sentence and the bakery it concerns (None for tier edits)."""

    entry: AuditEntry
    sentence: str
    tenant: Tenant | None


def audit_lines(
    session,
    *,
    tenant_id=None,
    action: str | None = None,
    on_or_after: date | None = None,
    on_or_before: date | None = None,
    limit: int = 200,
) -> list[AuditLine]:
    """The newest `limit` entries matching the filters, worded; three queries whatever the
    number of entries (the entries, the bakeries they name, the people and tiers)."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if tenant_id is not None:
        stmt = stmt.where(AuditEntry.tenant_id == tenant_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if on_or_after:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(on_or_after, time(), UTC))
    if on_or_before:
        end = datetime.combine(on_or_before + timedelta(days=1), time(), UTC)
        stmt = stmt.where(AuditEntry.at < end)
    entries = list(session.scalars(stmt.limit(limit)))
    tenant_ids = {e.tenant_id for e in entries if e.tenant_id}
    tenants = (
        {t.id: t for t in session.scalars(select(Tenant).where(Tenant.id.in_(tenant_ids)))}
        if tenant_ids
        else {}
    )
    people = {o.email: o.name for o in session.scalars(select(Operator))}
    tiers = {p.code: p.name for p in session.scalars(select(Plan))}
    return [
        AuditLine(e, sentence(e, tenants.get(e.tenant_id), people, tiers), tenants.get(e.tenant_id))
        for e in entries
    ]


def sentence(entry: AuditEntry, tenant: Tenant | None, people: dict, tiers: dict) -> str:
    """What the entry says, as a sentence."""
    who = people.get(entry.actor, entry.actor)
    bakery = tenant.name if tenant else (entry.target or "a bakery")
    d = entry.details or {}

    def tier(code):
        return tiers.get(code, code) if code else "no tier"

    match entry.action:
        case "tenant.change_tier":
            return f"{who} changed {bakery} from {tier(d.get('from'))} to {tier(d.get('to'))}"
        case "tenant.override_tier":
            if not d.get("to"):
                return f"{who} removed {bakery}'s tier override"
            until = (
                f" until {d['expires_at'][:16].replace('T', ' ')} UTC"
                if d.get("expires_at")
                else ""
            )
            return f"{who} gave {bakery} the {tier(d.get('to'))} tier{until}"
        case "tenant.suspend":
            return f"{who} suspended {bakery}: {d.get('reason', '')}"
        case "tenant.reactivate":
            return f"{who} reactivated {bakery}"
        case "tenant.upgrade_request":
            return (
                f"{who} of {bakery} asked to move from {tier(d.get('from'))} to {tier(d.get('to'))}"
            )
        case "plan.create":
            return f"{who} created the tier {d.get('after', {}).get('name', entry.target)}"
        case "plan.update":
            return f"{who} edited the tier {d.get('after', {}).get('name', entry.target)}"
        case "tenant.stripe_reconcile":
            fixed = "; ".join(
                f"{field} {before or '-'} -> {after or '-'}"
                for field, (before, after) in d.get("corrected", {}).items()
            )
            return f"{who} corrected {bakery} to match Stripe: {fixed}"
    return f"{who}: {entry.action} {entry.target}".strip()
