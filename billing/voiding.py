"""Voiding an invoice: it keeps its number and shows as void; its orders may be invoiced again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from billing.errors import InvoiceLocked
from billing.models import Invoice, InvoiceOrder
from config.clock import utcnow
from tenants.actors import as_actor, require
from tenants.errors import ValidationFailed


def void_invoice(
    session, tenant, *, actor, invoice: Invoice, reason: str, now: datetime | None = None
) -> Invoice:
    """Void `invoice` for `reason` (staff with `invoices`); refuses one already void or with
    payments recorded (those are refunded or moved first)."""
    require(actor, "invoices", message="You don't have permission to void invoices.")
    if invoice.is_void:
        raise InvoiceLocked("This invoice is already void.")
    if invoice.paid_minor:
        raise InvoiceLocked("Payments are recorded on this invoice: move or refund them first.")
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationFailed("Say why the invoice is void.", field="reason")
    invoice.voided_at = now or utcnow()
    invoice.void_reason = reason[:500]
    invoice.voided_by_name = as_actor(actor).name
    session.execute(
        update(InvoiceOrder)
        .where(InvoiceOrder.invoice_id == invoice.id)
        .values(released=True)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return invoice
