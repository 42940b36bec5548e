"""A bakery's receivables settings: the reminder schedule, monthly statements, Xero codes.

A bakery without a settings row gets the defaults (reminders 3 days before the due date, on it,
and 7 and 14 days after; a statement on the 1st of each month), so dunning works out of the box.
"""

from __future__ import annotations

from sqlalchemy import select

from billing.receivables_models import DEFAULT_REMINDER_STEPS, ReceivablesSettings
from tenants.actors import require
from tenants.errors import ValidationFailed
from tenants.scoping import check_bound

MAX_STEPS = 8
# Reminders run from a month before the due date to half a year after it.
EARLIEST_STEP, LATEST_STEP = -30, 180


def get_settings(session) -> ReceivablesSettings:
    """The bound bakery's settings, or an unsaved row holding the defaults."""
    found = session.scalar(select(ReceivablesSettings))
    if found is not None:
        return found
    return ReceivablesSettings(
        reminders_enabled=True,
        reminder_steps=list(DEFAULT_REMINDER_STEPS),
        statements_enabled=True,
        statement_day=1,
        xero_account_code="200",
        xero_tax_type="{rate}% (VAT on Income)",
        xero_zero_tax_type="Zero Rated Income",
    )


def steps_from(before: int | None, on_due_date: bool, after: list[int]) -> list[int]:
    """The schedule as days relative to the due date: -before, 0, then each of `after`."""
    steps = []
    if before:
        steps.append(-before)
    if on_due_date:
        steps.append(0)
    steps.extend(after)
    return sorted(set(steps))


def check_steps(steps: list[int]) -> list[int]:
    """Sorted, distinct steps within range; refuses a schedule a bakery could not mean."""
    steps = sorted(set(steps))
    if len(steps) > MAX_STEPS:
        raise ValidationFailed(f"At most {MAX_STEPS} reminders per invoice.", field="after")
    for step in steps:
        if step < EARLIEST_STEP:
            raise ValidationFailed(
                f"Remind at most {-EARLIEST_STEP} days before the due date.", field="before"
            )
        if step > LATEST_STEP:
            raise ValidationFailed(
                f"Remind at most {LATEST_STEP} days after the due date.", field="after"
            )
    return steps


def parse_after_days(text: str) -> list[int]:
    """'7, 14, 30' -> [7, 14, 30]; whole days after the due date, separated by commas."""
    days = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValidationFailed(
                "Enter whole days after the due date separated by commas, like 7, 14.",
                field="after",
            )
        if int(part) == 0:
            raise ValidationFailed(
                "Use 'On the due date' for a reminder on the day itself.", field="after"
            )
        days.append(int(part))
    return days


def update_settings(
    session,
    tenant,
    *,
    actor,
    reminders_enabled: bool,
    steps: list[int],
    statements_enabled: bool,
    statement_day: int,
    xero_account_code: str,
    xero_tax_type: str,
    xero_zero_tax_type: str,
) -> ReceivablesSettings:
    """Save the bakery's receivables settings (validated before anything changes)."""
    require(actor, "invoices")
    check_bound(session, tenant)
    steps = check_steps(steps)
    if reminders_enabled and not steps:
        raise ValidationFailed("Choose at least one reminder, or switch reminders off.")
    if not 1 <= (statement_day or 0) <= 28:
        raise ValidationFailed("Choose a day between 1 and 28.", field="statement_day")
    codes = {
        "xero_account_code": (xero_account_code or "").strip(),
        "xero_tax_type": (xero_tax_type or "").strip(),
        "xero_zero_tax_type": (xero_zero_tax_type or "").strip(),
    }
    if not codes["xero_account_code"]:
        raise ValidationFailed("Enter the Xero account code for sales.", field="xero_account_code")
    if "{rate}" not in codes["xero_tax_type"]:
        raise ValidationFailed(
            "Keep {rate} where the tax rate goes, like {rate}% (VAT on Income).",
            field="xero_tax_type",
        )
    row = session.scalar(select(ReceivablesSettings))
    if row is None:
        row = ReceivablesSettings(tenant_id=tenant.id)
        session.add(row)
    row.reminders_enabled = reminders_enabled
    row.reminder_steps = steps
    row.statements_enabled = statements_enabled
    row.statement_day = statement_day
    for name, value in codes.items():
        setattr(row, name, value)
    session.flush()
    return row
