"""Statements: every open invoice of a customer with its balance, on screen, as a PDF, by email.

A statement is worked out, never stored: `build_statement` reads the customer's live invoices
with a balance (or, for a portal contact, those their access level lets them see), the credit
on account, and what is overdue on the bakery's `today`. Staff email one on demand; the monthly
job (`jobs.receivables.send_monthly_statements`) emails every customer owing money once per
month, on the bakery's statement day, recorded in `statement_sends` so it goes once.
The PDF is the one branded document of `tenants.pdf`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from billing.models import Invoice
from billing.payments import account_credit, open_invoices
from billing.receivables_models import StatementSend
from billing.receivables_settings import get_settings
from billing.recipients import contact_sees_invoice, sees_whole_account, statement_recipients
from config.clock import bakery_today, utcnow
from config.formatting import format_date
from config.money import money_formatter
from tenants.actors import require
from tenants.base import new_id
from tenants.customers.models import Customer
from tenants.errors import ValidationFailed
from tenants.outbox import queue_email
from tenants.pdf import BrandedDocument, Column
from tenants.scoping import check_bound

TEMPLATE = "account_statement"
# The monthly statements go out on the statement day, or on the next days if the job could not
# run that day; after that the month is skipped rather than sent late out of the blue.
CATCH_UP_DAYS = 3


@dataclass(frozen=True)
class StatementLine:
    """One open invoice on a statement."""

    invoice: Invoice
    status: str
    days_overdue: int

    @property
    def balance_minor(self) -> int:
        return self.invoice.balance_minor


@dataclass
class Statement:
    """A customer's open invoices on `as_of`, with totals; `credit_minor` is None when the
    reader sees only part of the account (a location-level contact), so credit is not shown."""

    customer: Customer
    as_of: date
    lines: list[StatementLine] = field(default_factory=list)
    credit_minor: int | None = 0

    @property
    def open_minor(self) -> int:
        return sum(line.balance_minor for line in self.lines)

    @property
    def overdue_minor(self) -> int:
        return sum(line.balance_minor for line in self.lines if line.status == "overdue")

    @property
    def due_minor(self) -> int:
        """What is left to pay once the credit on account is set against it."""
        return max(self.open_minor - (self.credit_minor or 0), 0)


def build_statement(session, tenant, customer, *, today: date, contact=None) -> Statement:
    """`customer`'s statement on `today`; for a portal `contact`, only what they may see."""
    check_bound(session, tenant)
    invoices = open_invoices(session, customer.id)
    credit = account_credit(session, customer.id)
    if contact is not None:
        invoices = [i for i in invoices if contact_sees_invoice(contact, i)]
        if not sees_whole_account(contact):
            credit = None
    lines = [StatementLine(i, i.status(today), max((today - i.due_date).days, 0)) for i in invoices]
    return Statement(customer=customer, as_of=today, lines=lines, credit_minor=credit)


def statement_pdf(tenant, statement: Statement, labels: dict | None = None) -> bytes:
    """The statement as a branded PDF. `labels` translates the fixed words (the portal passes
    the buyer's language; the back office prints English)."""
    words = {
        "title": "Statement",
        "for": "Statement for {customer} on {date}",
        "invoice": "Invoice",
        "date": "Date",
        "due": "Due",
        "total": "Total",
        "balance": "Balance",
        "overdue": "{days} days overdue",
        "open_total": "Open invoices: {amount}",
        "overdue_total": "Overdue: {amount}",
        "credit": "Credit on account: {amount}",
        "due_now": "Left to pay: {amount}",
        "none": "No open invoices. Thank you!",
        **(labels or {}),
    }
    money = money_formatter(tenant.locale, tenant.currency)
    customer_name = statement.customer.display_name
    doc = BrandedDocument(
        tenant,
        title=words["title"],
        subtitle=words["for"].format(
            customer=customer_name, date=format_date(statement.as_of, tenant)
        ),
    )
    width = doc.width
    columns = [
        Column(words["invoice"], width * 0.22),
        Column(words["date"], width * 0.16),
        Column(words["due"], width * 0.26),
        Column(words["total"], width * 0.18, right=True),
        Column(words["balance"], width * 0.18, right=True),
    ]
    if statement.lines:
        doc.add_table(
            columns,
            [
                [
                    line.invoice.number,
                    format_date(line.invoice.issue_date, tenant),
                    format_date(line.invoice.due_date, tenant)
                    + (
                        "\n" + words["overdue"].format(days=line.days_overdue)
                        if line.days_overdue
                        else ""
                    ),
                    money(line.invoice.total_minor),
                    money(line.balance_minor),
                ]
                for line in statement.lines
            ],
        )
    else:
        doc.add_paragraph(words["none"])
    doc.add_space()
    doc.add_paragraph(words["open_total"].format(amount=money(statement.open_minor)))
    if statement.overdue_minor:
        doc.add_paragraph(words["overdue_total"].format(amount=money(statement.overdue_minor)))
    if statement.credit_minor:
        doc.add_paragraph(words["credit"].format(amount=money(statement.credit_minor)))
        doc.add_paragraph(words["due_now"].format(amount=money(statement.due_minor)))
    return doc.render()


def _context(tenant, statement: Statement, *, monthly: bool) -> dict:
    customer = statement.customer
    return {
        "customer": customer.display_name,
        "as_of": format_date(statement.as_of, tenant),
        "monthly": monthly,
        "currency": tenant.currency,
        "lines": [
            {
                "number": line.invoice.number,
                "issue_date": format_date(line.invoice.issue_date, tenant),
                "due_date": format_date(line.invoice.due_date, tenant),
                "overdue": line.status == "overdue",
                "days_overdue": line.days_overdue,
                "total_minor": line.invoice.total_minor,
                "balance_minor": line.balance_minor,
            }
            for line in statement.lines
        ],
        "open_minor": statement.open_minor,
        "overdue_minor": statement.overdue_minor,
        "credit_minor": statement.credit_minor or 0,
        "due_minor": statement.due_minor,
        "portal_path": f"/wholesale/{tenant.slug}/statement" if customer.portal_enabled else "",
    }


def _queue(session, tenant, statement: Statement, *, monthly: bool, now: datetime) -> int:
    people = statement_recipients(session, statement.customer)
    context = _context(tenant, statement, monthly=monthly)
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
    return len(people)


def email_statement(session, tenant, *, actor, customer, now: datetime | None = None) -> int:
    """Staff's "email statement": queue it to the account's billing people; returns how many."""
    require(actor, "invoices")
    check_bound(session, tenant)
    now = now or utcnow()
    statement = build_statement(session, tenant, customer, today=bakery_today(tenant, now))
    if not statement_recipients(session, customer):
        raise ValidationFailed(
            "Nobody at this customer may see invoices: give a contact 'View invoices' or set "
            "the account's billing email first."
        )
    return _queue(session, tenant, statement, monthly=False, now=now)


def _claim_month(session, tenant, customer_id, period: str, now: datetime) -> bool:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (
        insert(StatementSend)
        .values(
            tenant_id=tenant.id,
            id=new_id(),
            customer_id=customer_id,
            period=period,
            sent_at=now,
            recipients=0,
            open_minor=0,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "customer_id", "period"])
        .returning(StatementSend.id)
    )
    return session.execute(stmt).scalar() is not None


def send_monthly_statements(session, tenant, *, now: datetime | None = None) -> int:
    """On the bakery's statement day (or within CATCH_UP_DAYS after it), email each customer
    owing money this month's statement, once; returns how many customers were sent one."""
    check_bound(session, tenant)
    now = now or utcnow()
    settings = get_settings(session)
    today = bakery_today(tenant, now)
    if not settings.statements_enabled:
        return 0
    if not settings.statement_day <= today.day < settings.statement_day + CATCH_UP_DAYS:
        return 0
    period = today.strftime("%Y-%m")
    owing = session.scalars(
        select(Customer)
        .where(
            Customer.id.in_(
                select(Invoice.customer_id).where(
                    Invoice.voided_at.is_(None),
                    Invoice.total_minor - Invoice.credited_minor - Invoice.paid_minor > 0,
                )
            ),
            Customer.id.not_in(
                select(StatementSend.customer_id).where(StatementSend.period == period)
            ),
        )
        .order_by(Customer.business_name)
    )
    sent = 0
    for customer in list(owing):
        if not _claim_month(session, tenant, customer.id, period, now):
            continue
        statement = build_statement(session, tenant, customer, today=today)
        count = _queue(session, tenant, statement, monthly=True, now=now)
        session.execute(
            StatementSend.__table__.update()
            .where(
                StatementSend.tenant_id == tenant.id,
                StatementSend.customer_id == customer.id,
                StatementSend.period == period,
            )
            .values(recipients=count, open_minor=statement.open_minor)
        )
        sent += 1
    session.flush()
    return sent
