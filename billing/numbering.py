"""Per-bakery invoice and credit-note numbers ("RR-2026-0042"), consecutive with no gaps.

One `document_counters` row per bakery, series and year (year 0 when the bakery does not reset
yearly), bumped by a single INSERT ... ON CONFLICT DO UPDATE ... RETURNING inside the issuing
transaction, as order numbers are: the row lock serialises concurrent issues of one bakery and a
rolled-back issue gives its number back, so there are no gaps and no repeats.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.dialects import postgresql, sqlite

from billing.models import DocumentCounter
from tenants.base import new_id

DIGITS = 4


def next_sequence(session, tenant, *, series: str, year: int, now: datetime) -> int:
    """Take the next number of `series` in `year` (0: never resets) for the bound bakery."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(DocumentCounter).values(
        tenant_id=tenant.id, id=new_id(), series=series, year=year, last_number=1, created_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["tenant_id", "series", "year"],
        set_={"last_number": stmt.table.c.last_number + 1},
    ).returning(DocumentCounter.last_number)
    return session.execute(stmt).scalar_one()


def format_number(prefix: str, sequence: int, *, year: int | None) -> str:
    """`prefix` + year + zero-padded sequence: "RR-" 2026 42 -> "RR-2026-0042"; without a
    yearly reset the year is left out ("RR-0042")."""
    body = f"{sequence:0{DIGITS}d}"
    return f"{prefix}{year}-{body}" if year else f"{prefix}{body}"


def take_number(
    session, tenant, settings, *, series: str, issue_date: date, now: datetime
) -> tuple[str, int]:
    """The next (number text, sequence) of `series` ("invoice" or "credit_note")."""
    year = issue_date.year if settings.yearly_reset else 0
    sequence = next_sequence(session, tenant, series=series, year=year, now=now)
    prefix = settings.invoice_prefix if series == "invoice" else settings.credit_note_prefix
    return format_number(prefix, sequence, year=year or None), sequence
