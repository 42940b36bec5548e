"""Invoices in the back office (permission `invoices`): the list with status and customer
filters and the totals due, one invoice with its orders, lines, credit notes and payments,
"invoice now" for a customer's delivered orders, void (one confirm step), credit notes, PDFs,
and the bakery's invoicing settings and a customer's billing details.

Thin views over `billing` (queries, invoicing, credits, voiding, documents, settings).
"""

from __future__ import annotations

import uuid

from flask import flash, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_invoices import (
    BillingSettingsForm,
    CreditNoteForm,
    CustomerBillingForm,
    InvoiceFilterForm,
    InvoiceNowForm,
    VoidForm,
)
from billing import queries
from billing.credits import credited_quantities, issue_credit_note
from billing.documents import credit_note_pdf, invoice_pdf
from billing.dunning import reminders_of
from billing.invoicing import invoice_customer_now
from billing.models import CHECKOUT_PAYMENTS, INVOICING_MODES, STATUSES
from billing.payments import payments_of_invoice
from billing.settings import customer_billing, get_settings, update_customer_billing
from billing.settings import update_settings as update_billing_settings
from billing.voiding import void_invoice
from config.clock import bakery_today, utcnow
from config.confirm import confirm_page
from config.edge import apply_change, commit_change, found_or_404, save_form
from config.extensions import db
from config.numbers import NumberInputError, parse_whole_number
from tenants.customers import services as customers
from tenants.orders import desk

BASE = "backoffice/base.html"


def pdf_response(data: bytes, filename: str):
    """A PDF download (private: invoices are not to sit in shared caches)."""
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/invoices")
@staff_required("invoices")
def invoices_list():
    """The bakery's invoices, newest first, with the totals due and overdue (constant queries)."""
    form = InvoiceFilterForm(request.args)
    choices = desk.customer_choices(db.session)
    form.customer_id.choices = [("", "Any customer")] + [(str(c), n) for c, n in choices]
    customer_id = None
    if form.customer_id.data:
        try:
            customer_id = uuid.UUID(form.customer_id.data)
        except ValueError:
            form.customer_id.errors = ["Choose a customer from the list."]
    try:
        page_number = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page_number = 1
    today = bakery_today(g.tenant)
    page = queries.staff_invoices(
        db.session,
        today=today,
        status=form.status.data or None,
        customer_id=customer_id,
        page=page_number,
    )
    now_form = InvoiceNowForm(formdata=None)
    now_form.customer_id.choices = [("", "Choose a customer")] + [(str(c), n) for c, n in choices]
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "backoffice/invoices/list.html",
        form=form,
        page=page,
        args=args,
        today=today,
        statuses=STATUSES,
        now_form=now_form,
    )


@bp.post("/invoices/new")
@staff_required("invoices")
def invoice_now():
    """Invoice one customer's uninvoiced delivered orders now."""
    form = InvoiceNowForm()
    form.customer_id.choices = []
    if not form.validate_on_submit():
        return redirect(url_for("backoffice.invoices_list"))
    customer = found_or_404(customers.get_customer, form.customer_id.data)
    invoice, refused = commit_change(
        lambda: invoice_customer_now(
            db.session, g.tenant, customer=customer, actor=current_user, now=utcnow()
        )
    )
    if refused is not None:
        flash(f"{customer.display_name}: {refused.message}", "error")
        return redirect(url_for("backoffice.invoices_list"))
    return redirect(url_for("backoffice.invoice_view", invoice_id=invoice.id))


@bp.get("/invoices/<invoice_id>")
@staff_required("invoices")
def invoice_view(invoice_id):
    """One invoice: orders, lines (delivered of ordered), credit notes, payments, balance."""
    invoice = found_or_404(queries.get_invoice, invoice_id)
    detail = queries.invoice_detail(db.session, invoice)
    return render_template(
        "backoffice/invoices/detail.html",
        detail=detail,
        invoice=invoice,
        status=invoice.status(bakery_today(g.tenant)),
        statuses=STATUSES,
        modes={**INVOICING_MODES, "card_at_checkout": "Paid by card at checkout"},
        payments=payments_of_invoice(db.session, invoice),
        reminders=reminders_of(db.session, invoice),
    )


@bp.get("/invoices/<invoice_id>/pdf")
@staff_required("invoices")
def invoice_pdf_download(invoice_id):
    invoice = found_or_404(queries.get_invoice, invoice_id)
    return pdf_response(invoice_pdf(db.session, g.tenant, invoice), f"{invoice.number}.pdf")


@bp.get("/invoices/<invoice_id>/credit-notes/<note_id>/pdf")
@staff_required("invoices")
def credit_note_pdf_download(invoice_id, note_id):
    invoice = found_or_404(queries.get_invoice, invoice_id)
    note = found_or_404(queries.get_credit_note, note_id, invoice=invoice)
    return pdf_response(credit_note_pdf(db.session, g.tenant, note), f"{note.number}.pdf")


@bp.route("/invoices/<invoice_id>/void", methods=["GET", "POST"])
@staff_required("invoices")
def invoice_void(invoice_id):
    """Void the invoice from the confirm step; it keeps its number and shows as void."""
    invoice = found_or_404(queries.get_invoice, invoice_id)
    target = url_for("backoffice.invoice_view", invoice_id=invoice.id)
    form = VoidForm()
    if request.method == "GET" or not form.validate_on_submit():
        return confirm_page(
            BASE,
            question=f"Void invoice {invoice.number}?",
            details=[
                "The invoice keeps its number and shows as void to you and the customer; "
                "its orders can be invoiced again. This cannot be undone."
            ],
            button="Void invoice",
            cancel_url=target,
            danger=True,
            form=form,
            fields=[form.reason],
            status=200 if request.method == "GET" else 422,
        )
    return apply_change(
        lambda: void_invoice(
            db.session,
            g.tenant,
            actor=current_user,
            invoice=invoice,
            reason=form.reason.data,
            now=utcnow(),
        ),
        f"Invoice {invoice.number} is void.",
        target,
    )


@bp.route("/invoices/<invoice_id>/credit", methods=["GET", "POST"])
@staff_required("invoices")
def invoice_credit(invoice_id):
    """Issue a credit note: a quantity per invoice line and one reason."""
    invoice = found_or_404(queries.get_invoice, invoice_id)
    detail = queries.invoice_detail(db.session, invoice)
    already = credited_quantities(db.session, invoice)
    form = CreditNoteForm()
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        quantities = {}
        for line in detail.lines:
            raw = (request.form.get(f"qty-{line.id}") or "").strip()
            if not raw:
                continue
            try:
                quantities[line.id] = parse_whole_number(raw, g.tenant.locale)
            except NumberInputError as exc:
                errors[str(line.id)] = str(exc)
        if not errors:
            note, refused = commit_change(
                lambda: issue_credit_note(
                    db.session,
                    g.tenant,
                    actor=current_user,
                    invoice=invoice,
                    quantities=quantities,
                    reason=form.reason.data,
                    now=utcnow(),
                )
            )
            if refused is None:
                flash(f"Credit note {note.number} issued.")
                return redirect(url_for("backoffice.invoice_view", invoice_id=invoice.id))
            key = (refused.field or "").removeprefix("qty-")
            if key and key != "reason" and key != "lines":
                errors[key] = refused.message
            elif refused.field == "reason":
                form.reason.errors = [refused.message]
            else:
                errors["lines"] = refused.message
    status = 422 if request.method == "POST" else 200
    return render_template(
        "backoffice/invoices/credit.html",
        invoice=invoice,
        detail=detail,
        already=already,
        form=form,
        errors=errors,
        posted=request.form if request.method == "POST" else {},
    ), status


@bp.route("/settings/invoicing", methods=["GET", "POST"])
@staff_required("settings")
def invoicing_settings():
    """How invoices are made and numbered, and what they print (tax number, bank details)."""
    current = get_settings(db.session, g.tenant)
    form = BillingSettingsForm(obj=current) if request.method == "GET" else BillingSettingsForm()
    return save_form(
        form,
        lambda: update_billing_settings(
            db.session,
            g.tenant,
            actor=current_user,
            invoicing_mode=form.invoicing_mode.data,
            invoice_prefix=form.invoice_prefix.data or "",
            credit_note_prefix=form.credit_note_prefix.data or "",
            yearly_reset=bool(form.yearly_reset.data),
            tax_number=form.tax_number.data or "",
            bank_details=form.bank_details.data or "",
            payment_instructions=form.payment_instructions.data or "",
        ),
        url_for("backoffice.invoicing_settings"),
        "backoffice/invoices/settings.html",
        message="Invoicing settings saved.",
    )


@bp.route("/customers/<customer_id>/invoicing", methods=["GET", "POST"])
@staff_required("invoices")
def customer_invoicing(customer_id):
    """A customer's invoicing mode and billing address, with their balance."""
    customer = found_or_404(customers.get_customer, customer_id)
    row = customer_billing(db.session, customer)
    if request.method == "GET":
        form = CustomerBillingForm(
            invoicing_mode=(row.invoicing_mode or "") if row else "",
            billing_address=row.billing_address if row else "",
            checkout_payment=(row.checkout_payment or "") if row else "",
        )
    else:
        form = CustomerBillingForm()
    today = bakery_today(g.tenant)
    balance = queries.customer_balances(db.session, today=today).get(customer.id, (0, 0))
    return save_form(
        form,
        lambda: update_customer_billing(
            db.session,
            g.tenant,
            actor=current_user,
            customer=customer,
            invoicing_mode=form.invoicing_mode.data or "",
            billing_address=form.billing_address.data or "",
            checkout_payment=form.checkout_payment.data or "",
        ),
        url_for("backoffice.customer_invoicing", customer_id=customer.id),
        "backoffice/invoices/customer.html",
        message="Billing details saved.",
        customer=customer,
        balance=balance,
        bakery_mode=INVOICING_MODES[get_settings(db.session, g.tenant).invoicing_mode],
        bakery_checkout=CHECKOUT_PAYMENTS[get_settings(db.session, g.tenant).checkout_payment],
    )
