"""Money in and chasing it: payments, their allocations to invoices, reminders and statements.

Every table is tenant-owned and keys on (tenant_id, id); references carry tenant_id.

- A `Payment` is money a customer handed over (cash, cheque, bank transfer), recorded by staff.
  It is split over invoices by `PaymentAllocation`s; what is not allocated
  (`amount_minor - allocated_minor`) is **account credit**, applied to the next invoice issued.
  Account credit is always rooted in a payment, so it can never be counted twice.
- `Invoice.paid_minor` is the sum of the allocations of the invoice's non-void payments; only
  `billing.payments` writes it (and `billing.models` never does).
- Voiding a payment keeps it and its allocations as history but takes them out of every sum:
  the invoices' `paid_minor` goes down and its credit disappears.
- `InvoiceReminder` is one dunning step sent for one invoice: the unique key (invoice, step) is
  what makes each step go out once however often the daily job runs.
- `StatementSend` is one monthly statement for one customer and month, unique the same way.
- `ReceivablesSettings` is a bakery's reminder schedule, statement day and accounting codes
  (one row per bakery; none means the defaults of `billing.receivables_settings`).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime

METHODS = {"bank_transfer": "Bank transfer", "cash": "Cash", "cheque": "Cheque"}
# Recorded by the Stripe webhooks only, never offered in the staff form.
ONLINE_METHODS = {"stripe": "Card (Stripe)"}
DEFAULT_REMINDER_STEPS = [-3, 0, 7, 14]


def _fk(column: str, target: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A composite foreign key (tenant_id, column) -> target (tenant_id, id)."""
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{target}.tenant_id", f"{target}.id"], ondelete=ondelete
    )


class Payment(TenantOwned, db.Model):
    """Money received from one customer, in the bakery's currency.

    `idempotency_key` comes from the payment form: a double submit finds the first payment."""

    __tablename__ = "payments"
    __table_args__ = (
        _fk("customer_id", "customers"),
        _fk("recorded_by_staff_id", "staff_users", ondelete="SET NULL"),
        CheckConstraint("amount_minor > 0", name="payment_amount_positive"),
        # The database refuses over-allocation even if two requests race past the service.
        CheckConstraint(
            "allocated_minor >= 0 AND allocated_minor <= amount_minor",
            name="payment_allocated_range",
        ),
        Index("ix_payments_customer", "tenant_id", "customer_id", "received_on"),
        Index("ix_payments_received", "tenant_id", "received_on"),
        # One payment per Stripe PaymentIntent, however often its webhooks arrive.
        UniqueConstraint("tenant_id", "stripe_payment_intent_id"),
        # One payment per form: a second submit of the same form cannot insert a second row.
        UniqueConstraint("tenant_id", "idempotency_key"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    amount_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    allocated_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    reference: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    recorded_by_staff_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    recorded_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    void_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(100))
    idempotency_key: Mapped[str | None] = mapped_column(String(64))

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def unallocated_minor(self) -> int:
        """The account credit this payment still holds (none once voided)."""
        return 0 if self.is_void else self.amount_minor - self.allocated_minor

    @property
    def method_label(self) -> str:
        return METHODS.get(self.method) or ONLINE_METHODS.get(self.method, self.method)


class PaymentAllocation(TenantOwned, db.Model):
    """Part of a payment set against one invoice. `source` says how: "payment" when staff
    split the payment as they recorded it, "credit" when account credit was applied later."""

    __tablename__ = "payment_allocations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "payment_id", "invoice_id"),
        _fk("payment_id", "payments", ondelete="CASCADE"),
        _fk("invoice_id", "invoices", ondelete="CASCADE"),
        CheckConstraint("amount_minor > 0", name="allocation_amount_positive"),
        Index("ix_payment_allocations_invoice", "tenant_id", "invoice_id"),
    )

    payment_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    amount_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    source: Mapped[str] = mapped_column(String(10), nullable=False, default="payment")
    allocated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    allocated_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class ReceivablesSettings(TenantOwned, db.Model):
    """A bakery's payment reminder schedule, monthly statements and accounting export codes."""

    __tablename__ = "receivables_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id"),
        CheckConstraint("statement_day BETWEEN 1 AND 28", name="statement_day_range"),
    )

    reminders_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Days relative to the due date: -3 is three days before, 0 the due date, 7 a week late.
    reminder_steps: Mapped[list] = mapped_column(
        JSON, nullable=False, default=lambda: list(DEFAULT_REMINDER_STEPS)
    )
    statements_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    statement_day: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # What the Xero export writes: the sales account and the tax rates' names in Xero.
    xero_account_code: Mapped[str] = mapped_column(String(20), nullable=False, default="200")
    xero_tax_type: Mapped[str] = mapped_column(
        String(60), nullable=False, default="{rate}% (VAT on Income)"
    )
    xero_zero_tax_type: Mapped[str] = mapped_column(
        String(60), nullable=False, default="Zero Rated Income"
    )


class InvoiceReminder(TenantOwned, db.Model):
    """One dunning step sent for one invoice (`step`: days relative to its due date)."""

    __tablename__ = "invoice_reminders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "invoice_id", "step"),
        _fk("invoice_id", "invoices", ondelete="CASCADE"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    step: Mapped[int] = mapped_column(Integer, nullable=False)
    sent_on: Mapped[date] = mapped_column(Date, nullable=False)  # the bakery's date
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    recipients: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class StatementSend(TenantOwned, db.Model):
    """The monthly statement one customer was sent for one month ("2026-12")."""

    __tablename__ = "statement_sends"
    __table_args__ = (
        UniqueConstraint("tenant_id", "customer_id", "period"),
        _fk("customer_id", "customers", ondelete="CASCADE"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    period: Mapped[str] = mapped_column(String(7), nullable=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    recipients: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    open_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
