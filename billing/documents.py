"""Invoice and credit-note PDFs through the one document helper (`tenants.pdf`).

The invoice prints: the bakery's branding, address, tax number; the bill-to snapshot and the
delivery addresses; invoice, order and PO numbers and delivery dates; each line's delivered
quantity (and what was ordered when it differs), unit price and base price when a discount
applied; tax per rate; totals, credit notes, payments, the amount due and the due date; the
bakery's payment instructions. Labels are in the bakery's language. Output is byte-stable.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _

from billing.models import STATUSES
from billing.queries import get_credit_note, get_invoice, invoice_detail
from billing.settings import get_settings
from billing.totals import tax_by_rate
from config.clock import bakery_today
from config.formatting import format_date
from config.money import format_money
from tenants.pdf import BrandedDocument, Column, Muted

PDF = "application/pdf"


def _rate(rate: Decimal) -> str:
    return f"{Decimal(rate).normalize():f} %"


def _bakery_lines(tenant, settings) -> str:
    lines = [tenant.address.strip()]
    if settings.tax_number:
        lines.append(_("Tax number: %(number)s", number=settings.tax_number))
    return "\n".join(line for line in lines if line)


def _columns(width: float) -> list[Column]:
    return [
        Column(_("Order"), width * 0.09),
        Column(_("Product"), width * 0.39),
        Column(_("Qty"), width * 0.12, right=True),
        Column(_("Unit price"), width * 0.15, right=True),
        Column(_("Tax"), width * 0.09, right=True),
        Column(_("Amount"), width * 0.16, right=True),
    ]


def invoice_pdf(session, tenant, invoice, *, now=None) -> bytes:
    """The invoice's PDF bytes (identical for an unchanged invoice and `today`)."""
    with force_locale(tenant.locale):
        return _invoice_pdf(session, tenant, invoice, now=now)


def _invoice_pdf(session, tenant, invoice, *, now) -> bytes:
    detail = invoice_detail(session, invoice)
    settings = get_settings(session, tenant)

    def money(minor: int) -> str:
        return format_money(minor, tenant, invoice.currency)

    title = _("Invoice %(number)s", number=invoice.number)
    doc = BrandedDocument(tenant, title=title)
    doc.add_lines(_bakery_lines(tenant, settings), muted=True)
    doc.add_space()
    heading = title
    if invoice.is_void:
        heading += " · " + _("VOID")
    doc.add_heading(heading)
    if invoice.is_void:
        doc.add_paragraph(_("Void: %(reason)s", reason=invoice.void_reason))
    doc.add_space(2)
    bill_to = "\n".join(
        part
        for part in (
            invoice.bill_to_name,
            invoice.bill_to_address,
            _("Tax number: %(number)s", number=invoice.bill_to_tax_number)
            if invoice.bill_to_tax_number
            else "",
        )
        if part
    )
    places = dict.fromkeys(
        f"{o.location_name}\n{o.location_address}".strip() for o in detail.orders
    )
    facts = [
        _("Invoice date: %(date)s", date=format_date(invoice.issue_date, tenant)),
        _("Due date: %(date)s", date=format_date(invoice.due_date, tenant)),
    ]
    if invoice.period_start and invoice.period_end:
        facts.append(
            _(
                "Delivered: %(start)s – %(end)s",
                start=format_date(invoice.period_start, tenant),
                end=format_date(invoice.period_end, tenant),
            )
        )
    doc.add_blocks(
        [
            (_("Bill to"), bill_to),
            (_("Deliver to"), "\n".join(places)),
            (_("Details"), "\n".join(facts)),
        ]
    )
    doc.add_space()
    order_rows = []
    for o in detail.orders:
        text = _(
            "Order %(number)s, delivered %(date)s",
            number=o.order_number,
            date=format_date(o.delivery_date, tenant),
        )
        if o.po_number:
            text += " · " + _("PO %(po)s", po=o.po_number)
        order_rows.append(text)
    doc.add_lines("\n".join(order_rows))
    doc.add_space()
    rows = []
    for line in detail.lines:
        qty = f"{line.quantity} {line.unit}".strip()
        price = money(line.unit_price_minor)
        if line.base_price_minor > line.unit_price_minor:
            price = Muted(price, _("base %(price)s", price=money(line.base_price_minor)))
        rows.append(
            [
                str(line.order_number or ""),
                Muted(f"{line.description} · {line.sku}", line.note),
                qty,
                price,
                _rate(line.tax_rate),
                money(line.line_total_minor),
            ]
        )
    doc.add_table(_columns(doc.width), rows)
    doc.add_space()
    summary = [(_("Subtotal"), money(invoice.subtotal_minor))]
    if invoice.discount_minor:
        summary.append((_("Discounts included"), money(invoice.discount_minor)))
    for rate, net, tax in tax_by_rate(detail.lines):
        summary.append((_("Tax %(rate)s on %(net)s", rate=_rate(rate), net=money(net)), money(tax)))
    summary.append((_("Total"), money(invoice.total_minor)))
    strong = [len(summary) - 1]
    for view in detail.credit_notes:
        summary.append(
            (_("Credit note %(number)s", number=view.note.number), money(-view.note.total_minor))
        )
    if invoice.paid_minor:
        summary.append((_("Payments"), money(-invoice.paid_minor)))
    summary.append((_("Amount due"), money(max(invoice.balance_minor, 0))))
    strong.append(len(summary) - 1)
    doc.add_summary(summary, strong=strong)
    doc.add_space()
    today = bakery_today(tenant, now)
    status = invoice.status(today)
    if status != "open":
        doc.add_paragraph(_("Status: %(status)s", status=_(STATUSES[status])))
    if invoice.balance_minor > 0 and not invoice.is_void:
        doc.add_paragraph(
            _(
                "Please pay %(amount)s by %(date)s.",
                amount=money(invoice.balance_minor),
                date=format_date(invoice.due_date, tenant),
            )
        )
    for text in (settings.bank_details, settings.payment_instructions):
        if text:
            doc.add_space(2)
            doc.add_lines(text)
    for view in detail.credit_notes:
        doc.add_space(2)
        doc.add_paragraph(
            _(
                "Credit note %(number)s of %(date)s: %(reason)s",
                number=view.note.number,
                date=format_date(view.note.issue_date, tenant),
                reason=view.note.reason,
            ),
            muted=True,
        )
    return doc.render()


def credit_note_pdf(session, tenant, note, *, now=None) -> bytes:
    """A credit note's PDF: its lines, totals and the invoice it corrects."""
    with force_locale(tenant.locale):
        invoice = get_invoice(session, note.invoice_id)
        detail = invoice_detail(session, invoice)
        view = next(v for v in detail.credit_notes if v.note.id == note.id)
        settings = get_settings(session, tenant)

        def money(minor: int) -> str:
            return format_money(minor, tenant, note.currency)

        title = _("Credit note %(number)s", number=note.number)
        doc = BrandedDocument(tenant, title=title)
        doc.add_lines(_bakery_lines(tenant, settings), muted=True)
        doc.add_space()
        doc.add_heading(title)
        doc.add_blocks(
            [
                (
                    _("Bill to"),
                    "\n".join(p for p in (invoice.bill_to_name, invoice.bill_to_address) if p),
                ),
                (
                    _("Details"),
                    "\n".join(
                        [
                            _("Date: %(date)s", date=format_date(note.issue_date, tenant)),
                            _("For invoice %(number)s", number=invoice.number),
                        ]
                    ),
                ),
            ]
        )
        doc.add_paragraph(_("Reason: %(reason)s", reason=note.reason))
        doc.add_space()
        columns = _columns(doc.width)
        rows = [
            [
                "",
                line.description,
                str(line.quantity),
                money(line.unit_price_minor),
                _rate(line.tax_rate),
                money(line.line_total_minor),
            ]
            for line in view.lines
        ]
        doc.add_table(columns, rows)
        doc.add_space()
        doc.add_summary(
            [
                (_("Subtotal"), money(note.subtotal_minor)),
                (_("Tax"), money(note.tax_minor)),
                (_("Total credited"), money(note.total_minor)),
            ],
            strong=[-1],
        )
        return doc.render()


def invoice_attachment(session, tenant, invoice_id) -> tuple[str, str, bytes]:
    """The outbox's `invoice_pdf` attachment, rendered at send time."""
    invoice = get_invoice(session, invoice_id)
    return f"{invoice.number}.pdf", PDF, invoice_pdf(session, tenant, invoice)


def credit_note_attachment(session, tenant, note_id) -> tuple[str, str, bytes]:
    """The outbox's `credit_note_pdf` attachment, rendered at send time."""
    note = get_credit_note(session, note_id)
    return f"{note.number}.pdf", PDF, credit_note_pdf(session, tenant, note)
