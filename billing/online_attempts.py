"""The back office's list of online payment attempts, above all those that need the bakery's
attention: failed (a declined card, a failed bank debit, a failed automatic payment), disputed
(open or lost; a won dispute leaves "needs attention" but stays under "disputed") and refunded.

It reads only what the webhooks stored (`billing.online_models`), so the history shows with
Stripe switched off too. One page is three statements however many rows: the count, the
attempts with their customers, and the invoices they name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from billing.models import Invoice
from billing.online_models import KINDS, ONLINE_STATES, OnlinePayment, OnlinePaymentInvoice
from tenants.customers.models import Customer
from tenants.scoping import check_bound

PER_PAGE = 50

# What the list shows; "attention" is the default.
SHOW = {
    "attention": "Needs attention",
    "failed": "Failed",
    "disputed": "Disputed",
    "refunded": "Refunded",
    "all": "All attempts",
}
DEFAULT_SHOW = "attention"

STATUS_LABELS = {
    "open": "Open (at Stripe Checkout)",
    "processing": "Processing",
    "succeeded": "Paid",
    "failed": "Failed",
    "expired": "Expired (left Checkout)",
}
KIND_LABELS = {"checkout": "Checkout", "autopay": "Autopay (charged on the due date)"}

# Stripe's dispute statuses as staff read them.
DISPUTE_LABELS = {
    "warning_needs_response": "Inquiry: needs a response",
    "warning_under_review": "Inquiry under review",
    "warning_closed": "Inquiry closed",
    "needs_response": "Disputed: needs a response",
    "under_review": "Disputed: under review",
    "won": "Dispute won",
    "lost": "Dispute lost",
    "prevented": "Dispute prevented",
}


def dispute_label(status: str) -> str:
    """Stripe's dispute status as a short English phrase ('' for no dispute)."""
    if not status:
        return ""
    return DISPUTE_LABELS.get(status, "Disputed: " + status.replace("_", " "))


# Disputes that ended in the bakery's favour (or never became one) need nothing more from it.
SETTLED_DISPUTES = ("won", "warning_closed", "prevented")


def _show_clause(show: str):
    failed = OnlinePayment.status == "failed"
    disputed = OnlinePayment.dispute_status != ""
    refunded = OnlinePayment.refunded_minor > 0
    open_or_lost = disputed & OnlinePayment.dispute_status.not_in(SETTLED_DISPUTES)
    return {
        "attention": or_(failed, open_or_lost, refunded),
        "failed": failed,
        "disputed": disputed,
        "refunded": refunded,
        "all": None,
    }[show]


@dataclass(frozen=True)
class AttemptRow:
    attempt: OnlinePayment
    customer_name: str
    # (invoice id, number) of each invoice the attempt was for, in numbering order.
    invoices: list[tuple[uuid.UUID, str]]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.attempt.status, self.attempt.status)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.attempt.kind, self.attempt.kind)

    @property
    def dispute_label(self) -> str:
        return dispute_label(self.attempt.dispute_status)

    @property
    def refund_label(self) -> str:
        refunded = self.attempt.refunded_minor
        if not refunded:
            return ""
        return "Refunded" if refunded >= self.attempt.amount_minor else "Partly refunded"


@dataclass(frozen=True)
class AttemptPage:
    rows: list[AttemptRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def attempts_page(
    session,
    tenant,
    *,
    show: str = DEFAULT_SHOW,
    status: str | None = None,
    kind: str | None = None,
    customer_id=None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> AttemptPage:
    """The bakery's online payment attempts, newest first, a page at a time: those needing
    attention unless `show` says otherwise, narrowed by `status`, `kind` and `customer_id`
    (another bakery's customer finds nothing). Three statements however long the page."""
    check_bound(session, tenant)
    criteria = []
    clause = _show_clause(show if show in SHOW else DEFAULT_SHOW)
    if clause is not None:
        criteria.append(clause)
    if status in ONLINE_STATES:
        criteria.append(OnlinePayment.status == status)
    if kind in KINDS:
        criteria.append(OnlinePayment.kind == kind)
    if customer_id is not None:
        criteria.append(OnlinePayment.customer_id == customer_id)
    total = session.scalar(select(func.count()).select_from(OnlinePayment).where(*criteria)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    found = session.execute(
        select(OnlinePayment, Customer.business_name, Customer.trading_name)
        .join(Customer, Customer.id == OnlinePayment.customer_id)
        .where(*criteria)
        .order_by(OnlinePayment.created_at.desc(), OnlinePayment.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    invoices: dict = {attempt.id: [] for attempt, _, _ in found}
    if invoices:
        for attempt_id, invoice_id, number in session.execute(
            select(OnlinePaymentInvoice.online_payment_id, Invoice.id, Invoice.number)
            .join(Invoice, Invoice.id == OnlinePaymentInvoice.invoice_id)
            .where(OnlinePaymentInvoice.online_payment_id.in_(list(invoices)))
            .order_by(Invoice.sequence)
        ):
            invoices[attempt_id].append((invoice_id, number))
    rows = [
        AttemptRow(attempt, trading or name, invoices[attempt.id])
        for attempt, name, trading in found
    ]
    return AttemptPage(rows=rows, total=total, page=page, per_page=per_page)
