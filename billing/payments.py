"""Manual payments: record cash, cheque or bank transfer, split it over invoices, void it.

The rules, in one place:
- A payment belongs to one customer and is set against that customer's live (not void) invoices
  only, never more than an invoice's balance, never more than the payment in total.
- With no split given, it is suggested oldest first: the invoice due first is paid first.
- What is not allocated stays on the account as credit and is applied, oldest payment first,
  to the next invoice issued (`apply_account_credit`, called by the invoice issuing code) or to
  the open invoices when staff ask (`apply_credit_to_open_invoices`).
- `Invoice.paid_minor` moves with every allocation and every void, so the invoice's status
  (`billing.models.status`) is right the moment the transaction commits.
- Invoices and payments being changed are locked (`FOR UPDATE`, in id order so two requests
  cannot deadlock): two people recording payments for the same invoice at once cannot both take
  its last balance. The payments table's check constraint is the backstop.
- A double submit of the payment form (a double click, a retry after a timeout) carries the
  form's idempotency key: the first submit records the payment; any other finds it and gets it
  back marked `replayed`, recording nothing. Concurrent submits are settled by the unique
  constraint on (tenant_id, idempotency_key): exactly one insert wins.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from billing.models import Invoice
from billing.receivables_models import METHODS, Payment, PaymentAllocation
from config.clock import bakery_today, utcnow
from tenants.actors import as_actor, kind_of, require
from tenants.errors import NotFound, ValidationFailed
from tenants.lookup import get_by_id
from tenants.scoping import check_bound

MAX_REFERENCE = 100
MAX_NOTES = 1000
MAX_KEY_LENGTH = 64
OUT_OF_DATE = "This form is out of date; reload the page."


def alloc_field(invoice_id) -> str:
    """The form field an amount for invoice `invoice_id` is typed in (errors name it)."""
    return f"alloc_{uuid.UUID(str(invoice_id)).hex}"


def _open_invoice_filter():
    return (
        Invoice.voided_at.is_(None),
        Invoice.total_minor - Invoice.credited_minor - Invoice.paid_minor > 0,
    )


def open_invoices(session, customer_id, *, lock: bool = False) -> list[Invoice]:
    """The customer's invoices with something left to pay, oldest due first."""
    stmt = (
        select(Invoice)
        .where(Invoice.customer_id == customer_id, *_open_invoice_filter())
        .order_by(Invoice.due_date, Invoice.issue_date, Invoice.sequence)
    )
    if lock:
        stmt = stmt.with_for_update()
    return list(session.scalars(stmt))


def suggest_allocation(amount_minor: int, invoices: list[Invoice]) -> dict[uuid.UUID, int]:
    """Oldest first: each invoice in order takes what it still owes until the amount runs out."""
    left, split = amount_minor, {}
    for invoice in invoices:
        if left <= 0:
            break
        take = min(left, invoice.balance_minor)
        if take > 0:
            split[invoice.id] = take
            left -= take
    return split


def get_payment(session, payment_id, *, customer_id=None) -> Payment:
    """The bound bakery's payment (of `customer_id`, when given); NotFound otherwise."""
    where = () if customer_id is None else (Payment.customer_id == customer_id,)
    return get_by_id(session, Payment, payment_id, missing="No such payment.", where=where)


def account_credit(session, customer_id) -> int:
    """The customer's unallocated money on account (live payments only)."""
    return int(
        session.scalar(
            select(
                func.coalesce(func.sum(Payment.amount_minor - Payment.allocated_minor), 0)
            ).where(Payment.customer_id == customer_id, Payment.voided_at.is_(None))
        )
    )


def _staff_id(actor):
    return actor.id if kind_of(actor) == "staff" else None


def _clean_text(value: str, limit: int, *, field: str, what: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationFailed(f"{what} is too long (at most {limit} characters).", field=field)
    return value


@dataclass(frozen=True)
class Recorded:
    """What `record_payment` did: the payment, and each invoice with the amount set against it.
    `replayed` means an earlier submit of the same form recorded it and nothing was written."""

    payment: Payment
    allocated: list[tuple[Invoice, int]]
    replayed: bool = False

    @property
    def credit_minor(self) -> int:
        return self.payment.unallocated_minor


def record_payment(
    session,
    tenant,
    *,
    actor,
    customer,
    method: str,
    amount_minor: int,
    received_on: date,
    reference: str = "",
    notes: str = "",
    allocations: dict | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Recorded:
    """Record money received from `customer` and set it against invoices.

    `allocations` maps invoice ids to minor amounts; None suggests the split oldest first.
    Amounts of 0 are ignored. Whatever is left becomes account credit. A payment already
    recorded with `idempotency_key` is returned (`replayed`) instead of recording another.
    """
    require(actor, "payments")
    check_bound(session, tenant)
    now = now or utcnow()
    key = (idempotency_key or "").strip() or None
    if key and len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(OUT_OF_DATE, field="form")
    if method not in METHODS:
        raise ValidationFailed("Choose how the money was paid.", field="method")
    if not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ValidationFailed("Enter an amount above zero.", field="amount")
    if received_on > bakery_today(tenant, now):
        raise ValidationFailed("The payment date cannot be in the future.", field="received_on")
    reference = _clean_text(reference, MAX_REFERENCE, field="reference", what="The reference")
    notes = _clean_text(notes, MAX_NOTES, field="notes", what="The note")

    invoices = {i.id: i for i in open_invoices(session, customer.id, lock=True)}
    # Looked for after the locks and before the split is checked: the first submit of the form
    # (committed earlier, or while we waited for the locks) has paid the invoices a repeat sets
    # against, which must find that payment, not be refused for over-paying.
    earlier = _by_key(session, tenant, key)
    if earlier is not None:
        return _replayed(session, earlier, customer)
    if allocations is None:
        split = suggest_allocation(amount_minor, list(invoices.values()))
    else:
        split = _checked_split(session, customer, invoices, allocations, amount_minor)

    payment = Payment(
        tenant_id=tenant.id,
        customer_id=customer.id,
        method=method,
        amount_minor=amount_minor,
        allocated_minor=0,
        currency=tenant.currency,
        received_on=received_on,
        reference=reference,
        notes=notes,
        recorded_at=now,
        recorded_by_staff_id=_staff_id(actor),
        recorded_by_name=as_actor(actor).name,
        idempotency_key=key,
    )
    try:
        with session.begin_nested():
            session.add(payment)
            session.flush()
    except IntegrityError:
        # Another submit of the same form won the race (no invoice lock was there to wait on).
        earlier = _by_key(session, tenant, key)
        if earlier is None:
            raise
        return _replayed(session, earlier, customer)
    done = []
    for invoice_id, amount in split.items():
        invoice = invoices[invoice_id]
        _allocate(session, payment, invoice, amount, source="payment", actor=actor, now=now)
        done.append((invoice, amount))
    session.flush()
    return Recorded(payment, done)


def _by_key(session, tenant, key: str | None) -> Payment | None:
    if not key:
        return None
    return session.scalar(
        select(Payment).where(Payment.tenant_id == tenant.id, Payment.idempotency_key == key)
    )


def _replayed(session, payment: Payment, customer) -> Recorded:
    if payment.customer_id != customer.id:
        # Keys are random per form; one reused for another customer is a forged form.
        raise ValidationFailed(OUT_OF_DATE, field="form")
    allocated = [(invoice, a.amount_minor) for a, invoice in allocations_of(session, payment)]
    return Recorded(payment, allocated, replayed=True)


def _checked_split(session, customer, invoices, allocations, amount_minor) -> dict:
    split: dict[uuid.UUID, int] = {}
    for raw_id, amount in allocations.items():
        if not amount:
            continue
        try:
            key = uuid.UUID(str(raw_id))
        except ValueError as exc:
            raise NotFound("No such invoice.") from exc
        invoice = invoices.get(key)
        if invoice is None:
            # Another customer's, another bakery's, void or already paid: never allocatable.
            exists = session.scalar(
                select(Invoice.number).where(Invoice.id == key, Invoice.customer_id == customer.id)
            )
            if exists is None:
                raise NotFound("No such invoice.")
            raise ValidationFailed(
                f"Invoice {exists} has nothing left to pay.", field=alloc_field(key)
            )
        if amount < 0:
            raise ValidationFailed("An amount cannot be negative.", field=alloc_field(key))
        if amount > invoice.balance_minor:
            raise ValidationFailed(
                f"Invoice {invoice.number} has less than that left to pay.", field=alloc_field(key)
            )
        split[key] = amount
    if sum(split.values()) > amount_minor:
        raise ValidationFailed(
            "The amounts set against invoices add up to more than the payment.", field="amount"
        )
    return split


def _allocate(session, payment, invoice, amount: int, *, source: str, actor, now) -> None:
    existing = session.scalar(
        select(PaymentAllocation).where(
            PaymentAllocation.payment_id == payment.id,
            PaymentAllocation.invoice_id == invoice.id,
        )
    )
    if existing is not None:
        existing.amount_minor += amount
    else:
        session.add(
            PaymentAllocation(
                tenant_id=payment.tenant_id,
                payment_id=payment.id,
                invoice_id=invoice.id,
                amount_minor=amount,
                source=source,
                allocated_at=now,
                allocated_by_name=as_actor(actor).name,
            )
        )
    payment.allocated_minor += amount
    invoice.paid_minor += amount


def void_payment(
    session, tenant, *, actor, payment: Payment, reason: str = "", now: datetime | None = None
) -> list[tuple[Invoice, int]]:
    """Void `payment`: its allocations come off their invoices and its credit disappears.
    Returns each invoice with the amount taken off it."""
    require(actor, "payments")
    check_bound(session, tenant)
    if payment.is_void:
        raise ValidationFailed("This payment is already void.")
    reason = _clean_text(reason, MAX_NOTES, field="reason", what="The reason")
    session.refresh(payment, with_for_update=True)
    if payment.is_void:  # voided by someone else while we waited for the lock
        raise ValidationFailed("This payment is already void.")
    rows = session.execute(
        select(PaymentAllocation, Invoice)
        .join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
        .where(PaymentAllocation.payment_id == payment.id)
        .order_by(Invoice.id)
        .with_for_update(of=Invoice)
    ).all()
    reversed_ = []
    for allocation, invoice in rows:
        invoice.paid_minor -= allocation.amount_minor
        reversed_.append((invoice, allocation.amount_minor))
    payment.voided_at = now or utcnow()
    payment.voided_by_name = as_actor(actor).name
    payment.void_reason = reason
    session.flush()
    return reversed_


def _credit_payments(session, customer_id) -> list[Payment]:
    return list(
        session.scalars(
            select(Payment)
            .where(
                Payment.customer_id == customer_id,
                Payment.voided_at.is_(None),
                Payment.amount_minor > Payment.allocated_minor,
            )
            .order_by(Payment.received_on, Payment.recorded_at, Payment.id)
            .with_for_update()
        )
    )


def _apply(session, payments, invoice, *, actor, now) -> int:
    applied = 0
    for payment in payments:
        need = invoice.balance_minor
        if need <= 0:
            break
        take = min(need, payment.unallocated_minor)
        if take > 0:
            _allocate(session, payment, invoice, take, source="credit", actor=actor, now=now)
            applied += take
    return applied


def apply_account_credit(session, tenant, invoice, *, actor=None, now: datetime | None = None):
    """Set the customer's account credit against `invoice` (just issued), oldest payment first;
    returns the minor amount applied (0 without credit). The invoice issuing code calls it."""
    check_bound(session, tenant)
    if invoice.voided_at is not None or invoice.balance_minor <= 0:
        return 0
    payments = _credit_payments(session, invoice.customer_id)
    if not payments:
        return 0
    applied = _apply(session, payments, invoice, actor=actor, now=now or utcnow())
    session.flush()
    return applied


def release_overpayment(session, tenant, invoice, *, actor=None, now=None) -> int:
    """When a credit note leaves `invoice` paid more than it now costs (a negative balance),
    take the excess off its allocations, newest first, back to the payments as account credit
    for the next invoice; returns the minor amount released. The credit note code calls it."""
    check_bound(session, tenant)
    excess = min(-invoice.balance_minor, invoice.paid_minor)
    if excess <= 0:
        return 0
    rows = session.execute(
        select(PaymentAllocation, Payment)
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(PaymentAllocation.invoice_id == invoice.id, Payment.voided_at.is_(None))
        .order_by(PaymentAllocation.allocated_at.desc(), PaymentAllocation.id.desc())
        .with_for_update(of=Payment)
    ).all()
    released = _take_back(session, [(a, p, invoice) for a, p in rows], excess)
    session.flush()
    return released


def apply_credit_to_open_invoices(
    session, tenant, *, actor, customer, now: datetime | None = None
) -> int:
    """Staff's "apply credit": the account credit goes to the open invoices, oldest due first."""
    require(actor, "payments")
    check_bound(session, tenant)
    now = now or utcnow()
    payments = _credit_payments(session, customer.id)
    if not payments:
        raise ValidationFailed("This customer has no credit on account.")
    applied = 0
    for invoice in open_invoices(session, customer.id, lock=True):
        applied += _apply(session, payments, invoice, actor=actor, now=now)
    if not applied:
        raise ValidationFailed("There is no open invoice to apply the credit to.")
    session.flush()
    return applied


def allocations_of(session, payment: Payment) -> list[tuple[PaymentAllocation, Invoice]]:
    """The payment's allocations with their invoices, in invoice order."""
    return [
        tuple(row)
        for row in session.execute(
            select(PaymentAllocation, Invoice)
            .join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
            .where(PaymentAllocation.payment_id == payment.id)
            .order_by(Invoice.sequence)
        )
    ]


def payments_of_invoice(session, invoice) -> list[tuple[PaymentAllocation, Payment]]:
    """What was paid against `invoice`, oldest first, void payments included (marked)."""
    return [
        tuple(row)
        for row in session.execute(
            select(PaymentAllocation, Payment)
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(PaymentAllocation.invoice_id == invoice.id)
            .order_by(Payment.received_on, PaymentAllocation.allocated_at)
        )
    ]


def customer_payments(session, customer_id, *, limit: int = 50) -> list[Payment]:
    """The customer's newest payments (void ones too)."""
    return list(
        session.scalars(
            select(Payment)
            .where(Payment.customer_id == customer_id)
            .order_by(Payment.received_on.desc(), Payment.recorded_at.desc())
            .limit(limit)
        )
    )


def record_online_payment(
    session,
    tenant,
    *,
    customer_id,
    amount_minor: int,
    wanted: dict,
    payment_intent_id: str,
    received_on: date,
    now: datetime | None = None,
) -> Payment:
    """Record money Stripe took for the customer's invoices (the webhooks call it, as the
    system): `wanted` maps invoice ids to what the buyer meant to pay of each. Each invoice gets
    at most its balance now (one may have been paid by bank transfer meanwhile); the rest stays
    on the account as credit. Returns the existing payment when this PaymentIntent was recorded
    already, so a repeated webhook records nothing twice."""
    check_bound(session, tenant)
    existing = session.scalar(
        select(Payment).where(Payment.stripe_payment_intent_id == payment_intent_id)
    )
    if existing is not None:
        return existing
    now = now or utcnow()
    invoices = {i.id: i for i in open_invoices(session, customer_id, lock=True)}
    payment = Payment(
        tenant_id=tenant.id,
        customer_id=customer_id,
        method="stripe",
        amount_minor=amount_minor,
        allocated_minor=0,
        currency=tenant.currency,
        received_on=received_on,
        reference=payment_intent_id[:MAX_REFERENCE],
        notes="",
        recorded_at=now,
        recorded_by_name="Stripe",
        stripe_payment_intent_id=payment_intent_id,
    )
    session.add(payment)
    session.flush()
    left = amount_minor
    for invoice_id, amount in wanted.items():
        invoice = invoices.get(invoice_id)
        take = min(amount, left, invoice.balance_minor) if invoice is not None else 0
        if take > 0:
            _allocate(session, payment, invoice, take, source="payment", actor=None, now=now)
            left -= take
    session.flush()
    return payment


def take_back_online(
    session, tenant, payment: Payment, amount_minor: int, *, reason: str, now=None
) -> int:
    """Money Stripe gave back to the buyer (a refund, a lost dispute): `amount_minor` comes off
    the payment, first from its unallocated credit, then from its invoices, newest allocation
    first, so those invoices are owed again. All of it: the payment is voided (kept as history).
    Returns what came off invoices."""
    check_bound(session, tenant)
    session.refresh(payment, with_for_update=True)
    if payment.is_void or amount_minor <= 0:
        return 0
    rows = session.execute(
        select(PaymentAllocation, Invoice)
        .join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
        .where(PaymentAllocation.payment_id == payment.id)
        .order_by(PaymentAllocation.allocated_at.desc(), Invoice.sequence.desc())
        .with_for_update(of=Invoice)
    ).all()
    note = f"{reason} ({amount_minor} minor units)"
    payment.notes = f"{payment.notes}\n{note}".strip()
    if amount_minor >= payment.amount_minor:
        for allocation, invoice in rows:
            invoice.paid_minor -= allocation.amount_minor
        payment.voided_at = now or utcnow()
        payment.voided_by_name = "Stripe"
        payment.void_reason = reason
        session.flush()
        return sum(a.amount_minor for a, _ in rows)
    from_invoices = max(0, amount_minor - payment.unallocated_minor)
    taken = _take_back(session, [(a, payment, i) for a, i in rows], from_invoices)
    payment.amount_minor -= amount_minor
    session.flush()
    return taken


def _take_back(session, allocations, amount: int) -> int:
    """Undo up to `amount` of `allocations` [(allocation, payment, invoice)] in the order given:
    each comes off its payment's allocated sum and its invoice's paid sum, and an allocation
    taken whole is deleted. Returns how much was taken back."""
    taken = 0
    for allocation, payment, invoice in allocations:
        take = min(amount - taken, allocation.amount_minor)
        if take <= 0:
            break
        payment.allocated_minor -= take
        invoice.paid_minor -= take
        taken += take
        if take == allocation.amount_minor:
            session.delete(allocation)
        else:
            allocation.amount_minor -= take
    return taken
