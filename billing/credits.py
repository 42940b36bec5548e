"""Credit notes: corrections to an issued invoice, numbered in their own series.

A credit note credits quantities of the invoice's lines at the invoiced price (tax recomputed
per line, half-up), never more of a line than is left uncredited; its total is added to the
invoice's `credited_minor`, which lowers the balance.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select

from billing import notify
from billing.errors import InvoiceLocked
from billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from billing.numbering import take_number
from billing.payments import release_overpayment
from billing.settings import get_settings
from billing.totals import priced_line
from config.clock import bakery_today, utcnow
from tenants.actors import as_actor, require
from tenants.customers.models import Customer
from tenants.errors import ValidationFailed

MAX_REASON = 200


def credited_quantities(session, invoice: Invoice) -> dict[uuid.UUID, int]:
    """{invoice line id: quantity already credited}, in one query."""
    rows = session.execute(
        select(CreditNoteLine.invoice_line_id, func.sum(CreditNoteLine.quantity))
        .join(CreditNote, CreditNote.id == CreditNoteLine.credit_note_id)
        .where(CreditNote.invoice_id == invoice.id)
        .group_by(CreditNoteLine.invoice_line_id)
    )
    return {line_id: int(qty) for line_id, qty in rows if line_id is not None}


def issue_credit_note(
    session,
    tenant,
    *,
    actor,
    invoice: Invoice,
    quantities: dict,
    reason: str,
    now: datetime | None = None,
) -> CreditNote:
    """Credit `quantities` ({invoice line id: quantity}) of `invoice` for `reason`; flushes
    and queues the email to the invoice's recipients."""
    require(actor, "invoices", message="You don't have permission to issue credit notes.")
    now = now or utcnow()
    if invoice.is_void:
        raise InvoiceLocked("A void invoice cannot be credited.")
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationFailed("Say why the invoice is credited.", field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"Keep the reason under {MAX_REASON} characters.", field="reason")
    lines = {
        line.id: line
        for line in session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id == invoice.id)
            .order_by(InvoiceLine.position)
        )
    }
    already = credited_quantities(session, invoice)
    wanted: dict[uuid.UUID, int] = defaultdict(int)
    for raw_id, qty in quantities.items():
        if not qty:
            continue
        line = lines.get(uuid.UUID(str(raw_id)))
        if line is None:
            raise ValidationFailed("That line is not on this invoice.", field="lines")
        left = line.quantity - already.get(line.id, 0)
        if qty < 0 or qty > left:
            raise ValidationFailed(
                f"{line.description}: credit between 0 and {left}.", field=f"qty-{line.id}"
            )
        wanted[line.id] += qty
    if not wanted:
        raise ValidationFailed("Enter a quantity to credit on at least one line.", field="lines")

    settings = get_settings(session, tenant)
    issue_day = bakery_today(tenant, now)
    number, sequence = take_number(
        session, tenant, settings, series="credit_note", issue_date=issue_day, now=now
    )
    note = CreditNote(
        tenant_id=tenant.id,
        invoice_id=invoice.id,
        customer_id=invoice.customer_id,
        number=number,
        sequence=sequence,
        currency=invoice.currency,
        reason=reason,
        subtotal_minor=0,
        tax_minor=0,
        total_minor=0,
        issued_at=now,
        issue_date=issue_day,
        issued_by_name=as_actor(actor).name,
    )
    session.add(note)
    session.flush()
    subtotal = tax = 0
    for position, line in enumerate(
        (line for line in lines.values() if line.id in wanted), start=1
    ):
        amount, line_tax_minor = priced_line(wanted[line.id], line.unit_price_minor, line.tax_rate)
        subtotal, tax = subtotal + amount, tax + line_tax_minor
        session.add(
            CreditNoteLine(
                tenant_id=tenant.id,
                credit_note_id=note.id,
                invoice_line_id=line.id,
                position=position,
                description=line.description,
                quantity=wanted[line.id],
                unit_price_minor=line.unit_price_minor,
                line_total_minor=amount,
                tax_rate=line.tax_rate,
                tax_minor=line_tax_minor,
                reason=reason,
            )
        )
    note.subtotal_minor, note.tax_minor, note.total_minor = subtotal, tax, subtotal + tax
    invoice.credited_minor += note.total_minor
    # Crediting a paid invoice frees what was paid over its new total as account credit.
    release_overpayment(session, tenant, invoice, actor=actor, now=now)
    session.flush()
    customer = session.scalar(select(Customer).where(Customer.id == invoice.customer_id))
    notify.credit_note_issued(
        session, tenant, note=note, invoice=invoice, customer=customer, now=now
    )
    return note
