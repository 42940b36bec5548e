"""Reading invoices and credit notes: staff's lists, a contact's (scoped like their orders),
one invoice with everything its page and PDF show, and balances per customer.

Status filters are SQL over the same rule as `billing.models.status` (kept side by side in
`_status_clause`), so a list filtered "overdue" shows exactly the invoices whose status says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, not_, select

from billing.models import (
    STATUSES,
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    InvoiceOrder,
)
from tenants.customers import permissions
from tenants.customers.models import Customer
from tenants.lookup import get_by_id

PER_PAGE = 50
BALANCE = Invoice.total_minor - Invoice.credited_minor - Invoice.paid_minor


def _status_clause(status: str, today: date):
    """SQL for "has `status` on `today`": the order of `billing.models.status`."""
    live = Invoice.voided_at.is_(None)
    owing = and_(live, BALANCE > 0)
    overdue = and_(owing, Invoice.due_date < today)
    return {
        "void": not_(live),
        "paid": and_(live, BALANCE <= 0),
        "overdue": overdue,
        "partially_paid": and_(owing, not_(Invoice.due_date < today), Invoice.paid_minor > 0),
        "open": and_(owing, not_(Invoice.due_date < today), Invoice.paid_minor <= 0),
        "unpaid": owing,
    }[status]


FILTERS = {**STATUSES, "unpaid": "Unpaid (open, part paid or overdue)"}


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    customer_name: str


@dataclass
class InvoicePage:
    rows: list[InvoiceRow]
    total: int
    page: int
    per_page: int
    due_minor: int = 0
    overdue_minor: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _page(session, criteria, *, today, status, page, per_page) -> InvoicePage:
    if status in FILTERS:
        criteria = [*criteria, _status_clause(status, today)]
    total = session.scalar(select(func.count()).select_from(Invoice).where(*criteria)) or 0
    page = max(1, page)
    rows = session.execute(
        select(Invoice, Customer.business_name)
        .join(Customer, Customer.id == Invoice.customer_id)
        .where(*criteria)
        .order_by(Invoice.issued_at.desc(), Invoice.sequence.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return InvoicePage([InvoiceRow(i, name) for i, name in rows], total, page, per_page)


def _totals(session, criteria, today) -> tuple[int, int]:
    """(total due, of which overdue) over `criteria`, one query."""
    owing = _status_clause("unpaid", today)
    overdue = _status_clause("overdue", today)
    due, late = session.execute(
        select(
            func.coalesce(func.sum(BALANCE).filter(owing), 0),
            func.coalesce(func.sum(BALANCE).filter(overdue), 0),
        ).where(*criteria)
    ).one()
    return int(due), int(late)


def staff_invoices(
    session, *, today: date, status=None, customer_id=None, page=1, per_page=PER_PAGE
) -> InvoicePage:
    """The bakery's invoices, newest first, filtered by status and customer: four queries."""
    criteria = [Invoice.customer_id == customer_id] if customer_id else []
    result = _page(session, criteria, today=today, status=status, page=page, per_page=per_page)
    result.due_minor, result.overdue_minor = _totals(session, criteria, today)
    return result


def contact_invoices(
    session, contact, *, today: date, status=None, page=1, per_page=PER_PAGE
) -> InvoicePage:
    """The invoices `contact` may see (their access level's, as for orders), with the totals
    due and overdue over all of them."""
    criteria = permissions.visible_order_filter(contact).criteria(Invoice)
    result = _page(session, criteria, today=today, status=status, page=page, per_page=per_page)
    result.due_minor, result.overdue_minor = _totals(session, criteria, today)
    return result


def get_invoice(session, invoice_id) -> Invoice:
    """The bound bakery's invoice (staff); NotFound for a bad, unknown or foreign id."""
    return get_by_id(session, Invoice, invoice_id, missing="No such invoice.")


def get_invoice_for_contact(session, contact, invoice_id) -> Invoice:
    """An invoice `contact` may see; any other answers NotFound like a missing one."""
    scope = permissions.visible_order_filter(contact)
    return get_by_id(
        session, Invoice, invoice_id, missing="No such invoice.", where=scope.criteria(Invoice)
    )


@dataclass
class CreditNoteView:
    note: CreditNote
    lines: list[CreditNoteLine] = field(default_factory=list)


@dataclass
class InvoiceDetail:
    """Everything an invoice's page and PDF show (four queries)."""

    invoice: Invoice
    customer: Customer
    orders: list[InvoiceOrder]
    lines: list[InvoiceLine]
    credit_notes: list[CreditNoteView]


def invoice_detail(session, invoice: Invoice) -> InvoiceDetail:
    customer = session.scalar(select(Customer).where(Customer.id == invoice.customer_id))
    orders = list(
        session.scalars(
            select(InvoiceOrder)
            .where(InvoiceOrder.invoice_id == invoice.id)
            .order_by(InvoiceOrder.delivery_date, InvoiceOrder.order_number)
        )
    )
    lines = list(
        session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id == invoice.id)
            .order_by(InvoiceLine.position)
        )
    )
    notes = {
        n.id: CreditNoteView(n)
        for n in session.scalars(
            select(CreditNote)
            .where(CreditNote.invoice_id == invoice.id)
            .order_by(CreditNote.issued_at, CreditNote.sequence)
        )
    }
    if notes:
        for line in session.scalars(
            select(CreditNoteLine)
            .where(CreditNoteLine.credit_note_id.in_(list(notes)))
            .order_by(CreditNoteLine.position)
        ):
            notes[line.credit_note_id].lines.append(line)
    return InvoiceDetail(invoice, customer, orders, lines, list(notes.values()))


def get_credit_note(session, note_id, *, invoice: Invoice | None = None) -> CreditNote:
    """A credit note of the bound bakery (of `invoice`, when given)."""
    where = (CreditNote.invoice_id == invoice.id,) if invoice is not None else ()
    return get_by_id(session, CreditNote, note_id, missing="No such credit note.", where=where)


def customer_balances(session, *, today: date) -> dict:
    """{customer id: (balance owed, of which overdue)} over live invoices, one query."""
    owing = _status_clause("unpaid", today)
    overdue = _status_clause("overdue", today)
    rows = session.execute(
        select(
            Invoice.customer_id,
            func.coalesce(func.sum(BALANCE).filter(owing), 0),
            func.coalesce(func.sum(BALANCE).filter(overdue), 0),
        ).group_by(Invoice.customer_id)
    )
    return {cid: (int(due), int(late)) for cid, due, late in rows}
