"""A bakery's standing-order settings (on the delivery calendar page): what a closure does to
an occurrence (move it to the previous delivery day, or skip it), and how many days before the
cut-off buyers get their preview (0: none)."""

from __future__ import annotations

from tenants.actors import require
from tenants.errors import ValidationFailed
from tenants.orders.standing_models import (
    CLOSURE_POLICIES,
    DEFAULT_PREVIEW_DAYS,
    StandingSettings,
)
from tenants.orders.standing_schedule import settings_of


def current_settings(session) -> tuple[str, int]:
    """(closure policy, preview days) of the bound bakery, defaults if it never saved them."""
    row = settings_of(session)
    return (row.closure_policy, row.preview_days) if row else ("move", DEFAULT_PREVIEW_DAYS)


def save_settings(session, tenant, *, actor, closure_policy: str, preview_days) -> None:
    """Save both choices (`settings` permission)."""
    require(actor, "settings")
    if closure_policy not in CLOSURE_POLICIES:
        raise ValidationFailed("Choose what happens on a closure.", field="closure_policy")
    try:
        preview_days = int(preview_days)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("Enter 0 to 7 days.", field="preview_days") from exc
    if not 0 <= preview_days <= 7:
        raise ValidationFailed("Enter 0 to 7 days.", field="preview_days")
    row = settings_of(session)
    if row is None:
        row = StandingSettings(tenant_id=tenant.id)
        session.add(row)
    row.closure_policy, row.preview_days = closure_policy, preview_days
    session.flush()
