"""The buyer's invoices (`view_invoices`): the list with status and balance filters and the
totals due and overdue, one invoice with its lines, credit notes and payments, and the PDFs.

Scoped like orders: a location-level contact sees their location's invoices only, an individual
their own orders' (`billing.queries`); any other id answers 404, and a contact without the
permission gets 403 here and sees no link to these pages.
"""

from __future__ import annotations

from flask import g, make_response, render_template, request
from flask_babel import lazy_gettext as _l

from billing import queries
from billing.documents import credit_note_pdf, invoice_pdf
from billing.online_payments import can_pay_online, invoice_online_state
from billing.payments import payments_of_invoice
from billing.settings import get_settings
from config.clock import bakery_today
from config.edge import found_or_404
from config.extensions import db
from config.formatting import format_date
from portal import bp
from portal.access import buyer_required

STATUS_LABELS = {
    "open": _l("Open"),
    "partially_paid": _l("Partially paid"),
    "paid": _l("Paid"),
    "overdue": _l("Overdue"),
    "void": _l("Void"),
}
FILTER_LABELS = {"unpaid": _l("Unpaid"), **STATUS_LABELS}


def _pdf(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _day(value):
    return format_date(value, g.tenant)


def _paying(invoice_ids) -> dict:
    """What the invoice pages need to offer payment: pay buttons when the bakery takes online
    payments and the contact may pay, else the bank details; online attempts worth showing."""
    can_pay = can_pay_online(g.tenant, g.contact)
    settings = get_settings(db.session, g.tenant)
    return {
        "can_pay": can_pay,
        "bank_details": settings.bank_details,
        "payment_instructions": settings.payment_instructions,
        "online": invoice_online_state(db.session, invoice_ids),
        "autopay_link": can_pay,
    }


@bp.get("/invoices")
@buyer_required("view_invoices", staff_permission="invoices")
def invoices():
    """The invoices this contact may see, newest first, with what is due and overdue."""
    status = request.args.get("status") or None
    status = status if status in FILTER_LABELS else None
    try:
        page_number = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page_number = 1
    today = bakery_today(g.tenant)
    page = queries.contact_invoices(
        db.session, g.contact, today=today, status=status, page=page_number
    )
    return render_template(
        "portal/invoices.html",
        page=page,
        today=today,
        status=status,
        filters=FILTER_LABELS,
        labels=STATUS_LABELS,
        day=_day,
        paid_notice=bool(request.args.get("paid")),
        **_paying([row.invoice.id for row in page.rows]),
    )


@bp.get("/invoices/<invoice_id>")
@buyer_required("view_invoices", staff_permission="invoices")
def invoice_detail(invoice_id):
    """One invoice: what was delivered and billed, credit notes, payments and the balance."""
    invoice = found_or_404(queries.get_invoice_for_contact, g.contact, invoice_id)
    return render_template(
        "portal/invoice.html",
        invoice=invoice,
        detail=queries.invoice_detail(db.session, invoice),
        payments=payments_of_invoice(db.session, invoice),
        status=invoice.status(bakery_today(g.tenant)),
        labels=STATUS_LABELS,
        day=_day,
        **_paying([invoice.id]),
    )


@bp.get("/invoices/<invoice_id>/pdf")
@buyer_required("view_invoices", staff_permission="invoices")
def invoice_pdf_download(invoice_id):
    invoice = found_or_404(queries.get_invoice_for_contact, g.contact, invoice_id)
    return _pdf(invoice_pdf(db.session, g.tenant, invoice), f"{invoice.number}.pdf")


@bp.get("/invoices/<invoice_id>/credit-notes/<note_id>/pdf")
@buyer_required("view_invoices", staff_permission="invoices")
def credit_note_pdf_download(invoice_id, note_id):
    invoice = found_or_404(queries.get_invoice_for_contact, g.contact, invoice_id)
    note = found_or_404(queries.get_credit_note, note_id, invoice=invoice)
    return _pdf(credit_note_pdf(db.session, g.tenant, note), f"{note.number}.pdf")
