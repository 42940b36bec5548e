"""CSV exports for the bakery's accountant: invoices, payments, and Xero's sales-invoice import.

Each export reads its rows in a constant number of statements and writes them with the same
rules as every other CSV of the product: text cells a spreadsheet would run as a formula (=, +,
-, @, tab, CR first) get a leading apostrophe (`tenants.catalog.csv_io.escape_cell`); amounts
and dates are written as plain values and never escaped, so a spreadsheet still adds them up.

The Xero file follows Xero's sales invoice import template (Business > Invoices > Import):
one row per invoice line, the invoice's details repeated on each, dates as the organisation's
region writes them (DD/MM/YYYY; MM/DD/YYYY for a US bakery), unit amounts exclusive of tax
(choose "Tax exclusive" when importing), the bakery's Xero account code and tax rate names
(receivables settings). Void invoices are left out (Xero would import them as owed).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel import Locale
from sqlalchemy import select

from billing.models import STATUSES, Invoice, InvoiceLine, InvoiceOrder
from billing.receivables_models import Payment, PaymentAllocation
from billing.receivables_settings import get_settings
from config.formatting import minor_to_decimal
from tenants.catalog.csv_io import escape_cell
from tenants.customers.models import Customer

XERO_COLUMNS = [
    "*ContactName",
    "EmailAddress",
    "POAddressLine1",
    "POAddressLine2",
    "POAddressLine3",
    "POAddressLine4",
    "POCity",
    "PORegion",
    "POPostalCode",
    "POCountry",
    "*InvoiceNumber",
    "Reference",
    "*InvoiceDate",
    "*DueDate",
    "Total",
    "InventoryItemCode",
    "*Description",
    "*Quantity",
    "*UnitAmount",
    "Discount",
    "*AccountCode",
    "*TaxType",
    "TaxAmount",
    "TrackingName1",
    "TrackingOption1",
    "TrackingName2",
    "TrackingOption2",
    "Currency",
    "BrandingTheme",
]
INVOICE_COLUMNS = [
    "number",
    "customer",
    "issue_date",
    "due_date",
    "status",
    "currency",
    "subtotal",
    "tax",
    "total",
    "credited",
    "paid",
    "balance",
    "voided_at",
    "void_reason",
]
PAYMENT_COLUMNS = [
    "received_on",
    "customer",
    "method",
    "reference",
    "currency",
    "amount",
    "allocated",
    "credit",
    "invoices",
    "status",
    "recorded_by",
    "voided_at",
    "void_reason",
]


@dataclass(frozen=True)
class Period:
    """Inclusive dates an export covers; None on a side means no limit."""

    start: date | None = None
    end: date | None = None

    def where(self, column) -> list:
        conditions = []
        if self.start:
            conditions.append(column >= self.start)
        if self.end:
            conditions.append(column <= self.end)
        return conditions


def to_csv(header: list[str], rows) -> str:
    """CSV text: text cells escaped against formulas, numbers and dates written plainly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_cell(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _names(session, customer_ids) -> dict:
    if not customer_ids:
        return {}
    return {
        cid: trading or name
        for cid, name, trading in session.execute(
            select(Customer.id, Customer.business_name, Customer.trading_name).where(
                Customer.id.in_(list(customer_ids))
            )
        )
    }


def invoices_csv(session, *, period: Period, today: date) -> str:
    """Every invoice issued in `period` (void ones too, marked), one row each."""
    invoices = list(
        session.scalars(
            select(Invoice)
            .where(*period.where(Invoice.issue_date))
            .order_by(Invoice.issue_date, Invoice.sequence)
        )
    )
    names = _names(session, {i.customer_id for i in invoices})

    def amount(invoice, minor):
        return minor_to_decimal(minor, invoice.currency)

    rows = (
        [
            i.number,
            names.get(i.customer_id, i.bill_to_name),
            i.issue_date,
            i.due_date,
            STATUSES[i.status(today)],
            i.currency,
            amount(i, i.subtotal_minor),
            amount(i, i.tax_minor),
            amount(i, i.total_minor),
            amount(i, i.credited_minor),
            amount(i, i.paid_minor),
            amount(i, i.balance_minor),
            i.voided_at.isoformat() if i.voided_at else "",
            i.void_reason,
        ]
        for i in invoices
    )
    return to_csv(INVOICE_COLUMNS, rows)


def payments_csv(session, *, period: Period) -> str:
    """Every payment received in `period` (void ones too, marked), one row each."""
    payments = list(
        session.scalars(
            select(Payment)
            .where(*period.where(Payment.received_on))
            .order_by(Payment.received_on, Payment.recorded_at)
        )
    )
    names = _names(session, {p.customer_id for p in payments})
    numbers = defaultdict(list)
    if payments:
        for payment_id, number, minor, currency in session.execute(
            select(
                PaymentAllocation.payment_id,
                Invoice.number,
                PaymentAllocation.amount_minor,
                Invoice.currency,
            )
            .join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
            .where(PaymentAllocation.payment_id.in_([p.id for p in payments]))
            .order_by(Invoice.sequence)
        ):
            numbers[payment_id].append(f"{number} ({minor_to_decimal(minor, currency)})")

    rows = (
        [
            p.received_on,
            names.get(p.customer_id, ""),
            p.method_label,
            p.reference,
            p.currency,
            minor_to_decimal(p.amount_minor, p.currency),
            minor_to_decimal(p.allocated_minor, p.currency),
            minor_to_decimal(p.amount_minor - p.allocated_minor, p.currency),
            "; ".join(numbers[p.id]),
            "Void" if p.is_void else "Received",
            p.recorded_by_name,
            p.voided_at.isoformat() if p.voided_at else "",
            p.void_reason,
        ]
        for p in payments
    )
    return to_csv(PAYMENT_COLUMNS, rows)


def xero_date_format(locale: str) -> str:
    """How Xero reads dates for the bakery's region: MM/DD/YYYY in the US, else DD/MM/YYYY."""
    return "%m/%d/%Y" if Locale.parse(locale).territory == "US" else "%d/%m/%Y"


def tax_type(rate: Decimal, settings) -> str:
    """The Xero tax rate name for `rate` ('20% (VAT on Income)', 'Zero Rated Income')."""
    if not rate:
        return settings.xero_zero_tax_type
    text = f"{Decimal(rate).normalize():f}"
    return settings.xero_tax_type.replace("{rate}", text)


def _address_lines(text: str) -> list[str]:
    """Up to four address lines; a longer address keeps its rest on the fourth."""
    lines = [part.strip() for part in (text or "").replace("\r", "").split("\n") if part.strip()]
    if len(lines) > 4:
        lines = [*lines[:3], ", ".join(lines[3:])]
    return lines + [""] * (4 - len(lines))


def _references(session, invoice_ids) -> dict:
    """{invoice id: 'PO 123 / Order 1042, 1043'} from the orders each invoice covers."""
    orders = defaultdict(list)
    pos = defaultdict(list)
    if invoice_ids:
        for invoice_id, number, po in session.execute(
            select(InvoiceOrder.invoice_id, InvoiceOrder.order_number, InvoiceOrder.po_number)
            .where(InvoiceOrder.invoice_id.in_(list(invoice_ids)))
            .order_by(InvoiceOrder.order_number)
        ):
            orders[invoice_id].append(str(number))
            if po and po not in pos[invoice_id]:
                pos[invoice_id].append(po)
    refs = {}
    for invoice_id in invoice_ids:
        parts = []
        if pos[invoice_id]:
            parts.append("PO " + ", ".join(pos[invoice_id]))
        if orders[invoice_id]:
            word = "Order" if len(orders[invoice_id]) == 1 else "Orders"
            parts.append(f"{word} " + ", ".join(orders[invoice_id]))
        refs[invoice_id] = " / ".join(parts)
    return refs


def xero_csv(session, tenant, *, period: Period) -> str:
    """The live invoices issued in `period` as Xero's sales invoice import, a row per line."""
    settings = get_settings(session)
    invoices = list(
        session.scalars(
            select(Invoice)
            .where(Invoice.voided_at.is_(None), *period.where(Invoice.issue_date))
            .order_by(Invoice.issue_date, Invoice.sequence)
        )
    )
    ids = [i.id for i in invoices]
    lines = defaultdict(list)
    if ids:
        for line in session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id.in_(ids))
            .order_by(InvoiceLine.invoice_id, InvoiceLine.position)
        ):
            lines[line.invoice_id].append(line)
    names = _names(session, {i.customer_id for i in invoices})
    references = _references(session, ids)
    fmt = xero_date_format(tenant.locale)

    def rows():
        for invoice in invoices:
            address = _address_lines(invoice.bill_to_address)
            currency = invoice.currency
            for line in lines[invoice.id]:
                if line.quantity == 0:
                    continue  # a line shorted to nothing: Xero refuses a zero quantity
                description = line.description + (f" ({line.sku})" if line.sku else "")
                yield [
                    invoice.bill_to_name or names.get(invoice.customer_id, ""),
                    invoice.bill_to_email,
                    *address,
                    "",
                    "",
                    "",
                    "",
                    invoice.number,
                    references[invoice.id],
                    invoice.issue_date.strftime(fmt),
                    invoice.due_date.strftime(fmt),
                    minor_to_decimal(invoice.total_minor, currency),
                    "",
                    description,
                    line.quantity,
                    minor_to_decimal(line.unit_price_minor, currency),
                    "",
                    settings.xero_account_code,
                    tax_type(line.tax_rate, settings),
                    minor_to_decimal(line.tax_minor, currency),
                    "",
                    "",
                    "",
                    "",
                    invoice.currency,
                    "",
                ]

    return to_csv(XERO_COLUMNS, rows())
