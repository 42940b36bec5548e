"""Dunning: payment reminders on the schedule the bakery sets, once per invoice and step.

The daily job (`jobs.receivables.send_payment_reminders`, in the bakery's morning) calls
`send_due_reminders`. For each invoice still owing money (not void, balance above zero) it
finds the latest step whose day has come in the bakery's timezone (`due_date + step <= today`)
and, unless that step (or a later one) already went out, records it and queues the email to the
people who may see the invoice. The record's unique key (invoice, step) makes a second run of
the job, or two at once, send nothing twice. A paid or voided invoice is not looked at, so
reminders stop the moment it is paid.

Only the latest step is sent: a job that was down for a week catches up with one reminder,
not a burst of them. A step dated before the invoice was issued is skipped (an invoice issued
the day before its due date gets no "due in 3 days" reminder).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite

from billing.models import Invoice
from billing.notify import recipients
from billing.receivables_models import InvoiceReminder
from billing.receivables_settings import get_settings
from config.clock import bakery_today, utcnow
from config.formatting import format_date
from tenants.base import new_id
from tenants.customers.models import Customer
from tenants.orders.models import Order
from tenants.outbox import queue_email
from tenants.scoping import check_bound

TEMPLATE = "payment_reminder"


def due_step(invoice, steps: list[int], today: date) -> int | None:
    """The latest step of `steps` whose day has come for `invoice` on `today`, or None."""
    reached = [s for s in steps if invoice.due_date + timedelta(days=s) <= today]
    if not reached:
        return None
    step = max(reached)
    if invoice.due_date + timedelta(days=step) < invoice.issue_date:
        return None
    return step


def _claim(session, tenant, invoice, step: int, *, today: date, now: datetime) -> bool:
    """Record that `step` goes out for `invoice`; False when it already did."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (
        insert(InvoiceReminder)
        .values(
            tenant_id=tenant.id,
            id=new_id(),
            invoice_id=invoice.id,
            step=step,
            sent_on=today,
            sent_at=now,
            recipients=0,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "invoice_id", "step"])
        .returning(InvoiceReminder.id)
    )
    return session.execute(stmt).scalar() is not None


def reminder_context(tenant, invoice, customer, *, today: date) -> dict:
    """What a reminder email says, as plain JSON (the job renders it in the bakery's locale)."""
    days = (today - invoice.due_date).days
    return {
        "invoice_id": str(invoice.id),
        "number": invoice.number,
        "customer": customer.display_name if customer else invoice.bill_to_name,
        "issue_date": format_date(invoice.issue_date, tenant),
        "due_date": format_date(invoice.due_date, tenant),
        # "before", "today" or "after": the wording follows the day it goes out, not the step.
        "when": "before" if days < 0 else ("today" if days == 0 else "after"),
        "days_overdue": max(days, 0),
        "total_minor": invoice.total_minor,
        "balance_minor": invoice.balance_minor,
        "currency": invoice.currency,
        "portal_path": (
            f"/wholesale/{tenant.slug}/invoices/{invoice.id}"
            if customer is not None and customer.portal_enabled
            else ""
        ),
    }


def send_due_reminders(session, tenant, *, now: datetime | None = None) -> int:
    """Queue every reminder due today at the bakery; returns how many invoices were reminded."""
    check_bound(session, tenant)
    now = now or utcnow()
    settings = get_settings(session)
    steps = sorted(set(settings.reminder_steps or []))
    if not settings.reminders_enabled or not steps:
        return 0
    today = bakery_today(tenant, now)
    invoices = list(
        session.scalars(
            select(Invoice)
            .where(
                Invoice.voided_at.is_(None),
                Invoice.total_minor - Invoice.credited_minor - Invoice.paid_minor > 0,
                Invoice.due_date <= today - timedelta(days=steps[0]),
                # A card-now invoice whose order still waits at Checkout is paid or voided
                # within the hour: no reminder for it.
                # (NOT IN alone would drop every invoice without an order: NULL.)
                or_(
                    Invoice.order_id.is_(None),
                    Invoice.order_id.not_in(
                        select(Order.id).where(Order.status == "awaiting_payment")
                    ),
                ),
            )
            .order_by(Invoice.due_date, Invoice.sequence)
        )
    )
    if not invoices:
        return 0
    ids = [i.id for i in invoices]
    latest_sent: dict = {}
    for invoice_id, step in session.execute(
        select(InvoiceReminder.invoice_id, InvoiceReminder.step).where(
            InvoiceReminder.invoice_id.in_(ids)
        )
    ):
        latest_sent[invoice_id] = max(step, latest_sent.get(invoice_id, step))
    customer_ids = {i.customer_id for i in invoices}
    customers = {
        c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(customer_ids)))
    }
    reminded = 0
    for invoice in invoices:
        step = due_step(invoice, steps, today)
        if step is None or latest_sent.get(invoice.id, step - 1) >= step:
            continue
        if not _claim(session, tenant, invoice, step, today=today, now=now):
            continue
        customer = customers.get(invoice.customer_id)
        people = recipients(session, customer, invoice) if customer is not None else []
        context = reminder_context(tenant, invoice, customer, today=today)
        for email, name in people:
            queue_email(
                session,
                tenant,
                to_email=email,
                to_name=name,
                template=TEMPLATE,
                context=context,
                now=now,
            )
        session.execute(
            InvoiceReminder.__table__.update()
            .where(
                InvoiceReminder.tenant_id == tenant.id,
                InvoiceReminder.invoice_id == invoice.id,
                InvoiceReminder.step == step,
            )
            .values(recipients=len(people))
        )
        reminded += 1
    session.flush()
    return reminded


def reminders_of(session, invoice) -> list[InvoiceReminder]:
    """The reminders sent for `invoice`, oldest first (for the invoice pages)."""
    return reminders_by_invoice(session, [invoice.id])[invoice.id]


def reminders_by_invoice(session, invoice_ids) -> dict:
    """{invoice id: its reminders, oldest first} for many invoices in one statement."""
    found: dict = {invoice_id: [] for invoice_id in invoice_ids}
    if found:
        for reminder in session.scalars(
            select(InvoiceReminder)
            .where(InvoiceReminder.invoice_id.in_(list(found)))
            .order_by(InvoiceReminder.sent_at, InvoiceReminder.step)
        ):
            found[reminder.invoice_id].append(reminder)
    return found
