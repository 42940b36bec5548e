"""Buyers paying a bakery online (Stripe Connect direct charges): the tables.

- An `OnlinePayment` is one attempt to take money through Stripe on the bakery's connected
  account: a Checkout Session for one or several invoices ("checkout"), or an off-session
  charge of one invoice on its due date ("autopay"). Its `idempotency_key` is unique per bakery:
  the key Stripe got is the row's key, so a retried request, a double click or a second run of
  the daily job never makes a second charge. The webhook handlers find the row by the ids in
  the metadata Stripe echoes back (or by the session / PaymentIntent id) and record the money
  through the receivables service once: `payments.stripe_payment_intent_id` is unique.
- `OnlinePaymentInvoice` names the invoices an attempt pays and how much of each it meant to
  pay (the balance when the buyer chose them).
- `Autopay` is one customer's saved card on the bakery's connected account and whether they
  opted in to have invoices charged on their due dates.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
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

# open: the buyer is on Checkout (or the charge is being made); processing: a delayed method
# (SEPA debit, bank transfer) is under way; succeeded: the money is recorded; failed: declined
# or the delayed method failed; expired: the buyer left Checkout without paying.
ONLINE_STATES = ("open", "processing", "succeeded", "failed", "expired")
KINDS = ("checkout", "autopay")


def _fk(column: str, target: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{target}.tenant_id", f"{target}.id"], ondelete=ondelete
    )


class OnlinePayment(TenantOwned, db.Model):
    """One attempt to take a customer's money through Stripe for some of its invoices."""

    __tablename__ = "online_payments"
    __table_args__ = (
        _fk("customer_id", "customers", ondelete="CASCADE"),
        _fk("contact_id", "contacts", ondelete="SET NULL"),
        _fk("payment_id", "payments", ondelete="SET NULL"),
        UniqueConstraint("tenant_id", "idempotency_key"),
        UniqueConstraint("tenant_id", "checkout_session_id"),
        UniqueConstraint("tenant_id", "payment_intent_id"),
        CheckConstraint("amount_minor > 0", name="online_payment_amount_positive"),
        Index("ix_online_payments_customer", "tenant_id", "customer_id", "created_at"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="checkout")
    idempotency_key: Mapped[str] = mapped_column(String(120), nullable=False)
    # What the key was derived from (the invoices and their balances) and the attempt number.
    selection_key: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    attempt: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    amount_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    application_fee_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="open")
    checkout_session_id: Mapped[str | None] = mapped_column(String(100))
    checkout_url: Mapped[str] = mapped_column(Text, nullable=False, default="")
    payment_intent_id: Mapped[str | None] = mapped_column(String(100))
    charge_id: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    payment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # What Stripe says was refunded and what of it has been taken off the invoices already.
    refunded_minor: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    dispute_status: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    failure_message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OnlinePaymentInvoice(TenantOwned, db.Model):
    """An invoice an online payment is for, with the amount it meant to pay of it."""

    __tablename__ = "online_payment_invoices"
    __table_args__ = (
        UniqueConstraint("tenant_id", "online_payment_id", "invoice_id"),
        _fk("online_payment_id", "online_payments", ondelete="CASCADE"),
        _fk("invoice_id", "invoices", ondelete="CASCADE"),
        CheckConstraint("amount_minor > 0", name="online_payment_invoice_amount_positive"),
        Index("ix_online_payment_invoices_invoice", "tenant_id", "invoice_id"),
    )

    online_payment_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    amount_minor: Mapped[int] = mapped_column(Integer, nullable=False)


class Autopay(TenantOwned, db.Model):
    """A customer's saved card on the bakery's Stripe account and its autopay opt-in."""

    __tablename__ = "autopay"
    __table_args__ = (
        UniqueConstraint("tenant_id", "customer_id"),
        _fk("customer_id", "customers", ondelete="CASCADE"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # The customer object on the bakery's connected account that holds the card.
    stripe_customer_id: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    payment_method_id: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    card_label: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    setup_session_id: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
