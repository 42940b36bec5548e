"""Invoices and credit notes: the tables, and the one place an invoice's status is worked out.

The contract other billing code (payments, dunning, statements, ageing, exports) builds on:

- An `Invoice` is issued when it is created (there are no drafts) and is immutable afterwards:
  its lines, totals, number and billing snapshot never change. Corrections are `CreditNote`s.
- Money is integer minor units of `currency`:
  `subtotal_minor` (lines before tax) + `tax_minor` (sum of the per-rate tax) = `total_minor`.
- `credited_minor` is the sum of the invoice's credit notes' totals (kept by billing.credits).
- `paid_minor` is what payments allocated to the invoice add up to. This module never writes it;
  the payments service maintains it (add and subtract allocations), so recording payments needs
  no change to this table.
- `balance_minor = total_minor - credited_minor - paid_minor` (see `Invoice.balance_minor`).
- `status(invoice, today)` is the ONE function deciding the status, first match wins:
  `void` (voided_at set), `paid` (balance <= 0), `overdue` (due_date < the bakery's `today`
  and balance > 0), `partially_paid` (paid_minor > 0), `open`. A voided invoice keeps its
  number and shows as void. Pass `config.clock.bakery_today(tenant, now)` as `today`.
- `number` is people-facing text ("RR-2026-0042") from a per-bakery, per-series counter
  (`billing.numbering`): consecutive, no gaps, optional yearly reset.
- The bill-to fields are a snapshot taken at issue; the customer's later edits do not change an
  issued invoice.
- `location_id` / `placed_by_contact_id` are set when every order on the invoice shares them:
  a location-level (or individual-level) portal contact sees only invoices whose value matches
  theirs, so a consolidated invoice across locations shows only to organisation-level contacts.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime

# How a bakery (or one customer, overriding it) is invoiced.
INVOICING_MODES = {
    "per_order_on_placement": "One invoice per order, emailed when it is placed",
    "per_delivered_order": "One invoice per order, when it is delivered",
    "consolidated_weekly": "One invoice per customer per week (delivered orders)",
    "consolidated_monthly": "One invoice per customer per month (delivered orders)",
}
DEFAULT_INVOICING_MODE = "per_delivered_order"
# What a buyer's checkout offers: pay the invoice later (on account), pay by card before the
# order is confirmed (card), or the buyer's choice (both).
CHECKOUT_PAYMENTS = {
    "account": "On account: the invoice is paid later",
    "card": "Card now: paid through Stripe Checkout before the order is confirmed",
    "both": "Both: the buyer chooses at checkout",
}

STATUSES = {
    "open": "Open",
    "partially_paid": "Partially paid",
    "paid": "Paid",
    "overdue": "Overdue",
    "void": "Void",
}

# Counter series: invoices and credit notes are numbered independently.
SERIES = ("invoice", "credit_note")


def _fk(column: str, target: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A composite foreign key (tenant_id, column) -> target (tenant_id, id)."""
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{target}.tenant_id", f"{target}.id"], ondelete=ondelete
    )


class BillingSettings(TenantOwned, db.Model):
    """A bakery's invoicing settings and what its documents print (one row per bakery; a
    bakery without a row uses the defaults of `billing.settings`)."""

    __tablename__ = "billing_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    invoicing_mode: Mapped[str] = mapped_column(
        String(30), nullable=False, default=DEFAULT_INVOICING_MODE
    )
    invoice_prefix: Mapped[str] = mapped_column(String(12), nullable=False, default="INV-")
    credit_note_prefix: Mapped[str] = mapped_column(String(12), nullable=False, default="CN-")
    yearly_reset: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    tax_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    bank_details: Mapped[str] = mapped_column(Text, nullable=False, default="")
    payment_instructions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    checkout_payment: Mapped[str] = mapped_column(
        String(10), nullable=False, default="account", server_default="account"
    )


class CustomerBilling(TenantOwned, db.Model):
    """One customer's billing details: an invoicing mode overriding the bakery's (None: the
    bakery's) and the billing address printed on invoices."""

    __tablename__ = "customer_billing"
    __table_args__ = (
        UniqueConstraint("tenant_id", "customer_id"),
        _fk("customer_id", "customers", ondelete="CASCADE"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    invoicing_mode: Mapped[str | None] = mapped_column(String(30))
    billing_address: Mapped[str] = mapped_column(Text, nullable=False, default="")
    checkout_payment: Mapped[str | None] = mapped_column(String(10))  # None: the bakery's


class DocumentCounter(TenantOwned, db.Model):
    """The last number handed out in one series ("invoice", "credit_note") and year (0 when the
    bakery does not reset yearly)."""

    __tablename__ = "document_counters"
    __table_args__ = (UniqueConstraint("tenant_id", "series", "year"),)

    series: Mapped[str] = mapped_column(String(20), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    last_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Invoice(TenantOwned, db.Model):
    """An issued invoice for one customer (see the module docstring for the contract)."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        # Once per customer and period (consolidated), once per order (per-order modes).
        UniqueConstraint("tenant_id", "customer_id", "period_key"),
        UniqueConstraint("tenant_id", "order_id"),
        _fk("customer_id", "customers"),
        _fk("location_id", "delivery_locations"),
        _fk("order_id", "orders"),
        CheckConstraint("total_minor = subtotal_minor + tax_minor", name="invoice_total_sum"),
        Index("ix_invoices_customer_due", "tenant_id", "customer_id", "due_date"),
        Index("ix_invoices_issued", "tenant_id", "issued_at"),
    )

    number: Mapped[str] = mapped_column(String(40), nullable=False)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    location_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # No foreign key: a scoping value (an individual-level buyer sees invoices of orders they
    # placed); removing that contact later must not be blocked by their invoices.
    placed_by_contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # The per-order modes' key (once per order); None for consolidated and on-demand invoices.
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    mode: Mapped[str] = mapped_column(String(30), nullable=False)
    # "2026-11" (monthly), "2026-W47" (weekly); None for per-order and on-demand invoices.
    period_key: Mapped[str | None] = mapped_column(String(12))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    subtotal_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    discount_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tax_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    credited_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    paid_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    payment_terms: Mapped[str] = mapped_column(String(20), nullable=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    issue_date: Mapped[date] = mapped_column(Date, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    issued_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    voided_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # The bill-to snapshot, taken at issue.
    bill_to_name: Mapped[str] = mapped_column(String(200), nullable=False)
    bill_to_address: Mapped[str] = mapped_column(Text, nullable=False, default="")
    bill_to_tax_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    bill_to_email: Mapped[str] = mapped_column(String(254), nullable=False, default="")

    @property
    def balance_minor(self) -> int:
        """What is still owed: total less credit notes less payments."""
        return self.total_minor - self.credited_minor - self.paid_minor

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    def status(self, today: date) -> str:
        """The invoice's status on the bakery's `today` (see `status`)."""
        return status(self, today)


def status(invoice: Invoice, today: date) -> str:
    """The ONE status rule: void, paid, overdue (past due with a balance), partially paid,
    open. Overdue wins over partially paid: a part-paid invoice past its due date is late."""
    if invoice.voided_at is not None:
        return "void"
    balance = invoice.balance_minor
    if balance <= 0:
        return "paid"
    if invoice.due_date < today:
        return "overdue"
    if invoice.paid_minor > 0:
        return "partially_paid"
    return "open"


class InvoiceOrder(TenantOwned, db.Model):
    """An order an invoice covers (with what the PDF prints about it). While the invoice is
    live an order is on one invoice only: voiding releases it (`released`) for re-invoicing."""

    __tablename__ = "invoice_orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "invoice_id", "order_id"),
        _fk("invoice_id", "invoices", ondelete="CASCADE"),
        _fk("order_id", "orders"),
        Index(
            "uq_invoice_orders_live_order",
            "tenant_id",
            "order_id",
            unique=True,
            postgresql_where=text("NOT released"),
            sqlite_where=text("NOT released"),
        ),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    order_number: Mapped[int] = mapped_column(Integer, nullable=False)
    delivery_date: Mapped[date] = mapped_column(Date, nullable=False)
    po_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    location_name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    location_address: Mapped[str] = mapped_column(Text, nullable=False, default="")
    released: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )


class InvoiceLine(TenantOwned, db.Model):
    """One line of an invoice: what was delivered (ordered less shorts and returns, or a
    substitute with its own price), its unit and base price, and its tax rounded half-up."""

    __tablename__ = "invoice_lines"
    __table_args__ = (
        _fk("invoice_id", "invoices", ondelete="CASCADE"),
        Index("ix_invoice_lines_invoice", "tenant_id", "invoice_id", "position"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    order_number: Mapped[int | None] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    description: Mapped[str] = mapped_column(String(200), nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    quantity_ordered: Mapped[int] = mapped_column(Integer, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)  # delivered, invoiced
    base_price_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    line_total_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    tax_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class CreditNote(TenantOwned, db.Model):
    """A correction to an issued invoice, with its own number series; reduces the balance."""

    __tablename__ = "credit_notes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        _fk("invoice_id", "invoices"),
        _fk("customer_id", "customers"),
        CheckConstraint("total_minor = subtotal_minor + tax_minor", name="credit_total_sum"),
        Index("ix_credit_notes_invoice", "tenant_id", "invoice_id"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    number: Mapped[str] = mapped_column(String(40), nullable=False)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    subtotal_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    tax_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    total_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    issue_date: Mapped[date] = mapped_column(Date, nullable=False)
    issued_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class CreditNoteLine(TenantOwned, db.Model):
    """One line of a credit note: a quantity of an invoice line (or a free amount) and why."""

    __tablename__ = "credit_note_lines"
    __table_args__ = (
        _fk("credit_note_id", "credit_notes", ondelete="CASCADE"),
        _fk("invoice_line_id", "invoice_lines"),
        Index("ix_credit_note_lines_note", "tenant_id", "credit_note_id", "position"),
    )

    credit_note_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    invoice_line_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(String(200), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    line_total_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    tax_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")
