"""Payments in the back office: the list, recording one against a customer's open invoices,
one payment with where it went, voiding it (a confirm step), applying account credit.

Thin views over `billing.payments`. Reading needs `customers_view` and `invoices` (balances
are invoice data); recording and voiding need `payments`.
"""

from __future__ import annotations

from babel.numbers import get_currency_precision, get_decimal_symbol
from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_receivables import VoidPaymentForm, payment_form_for
from billing import payments
from billing.amounts import to_minor
from billing.payment_queries import payments_page
from config.clock import bakery_today
from config.confirm import confirm_page, was_confirmed
from config.edge import apply_change, found_or_404, submit_form
from config.extensions import db
from config.formatting import minor_to_decimal
from config.money import format_money
from tenants.customers import services as customers
from tenants.errors import ValidationFailed
from tenants.orders.desk import customer_choices

READ = ("customers_view", "invoices")
BASE = "backoffice/base.html"


@bp.get("/payments")
@staff_required(*READ)
def payments_list():
    """Every payment, newest first, a page at a time (a constant number of statements)."""
    page = payments_page(db.session, page=request.args.get("page", 1, type=int))
    return render_template("backoffice/receivables/payments.html", page=page)


@bp.get("/payments/new")
@staff_required("payments", *READ)
def payment_choose_customer():
    """Whose money it is: choose the customer, then their payment form."""
    chosen = request.args.get("customer_id")
    if chosen:
        customer = found_or_404(customers.get_customer, chosen)
        return redirect(url_for("backoffice.payment_new", customer_id=customer.id))
    return render_template(
        "backoffice/receivables/payment_choose.html", choices=customer_choices(db.session)
    )


def _allocations(form, invoices) -> dict | None:
    """{invoice id: minor amount} typed in the boxes, or None when every box is empty
    (the service then suggests the split, oldest first)."""
    typed = {}
    for invoice in invoices:
        value = getattr(form, payments.alloc_field(invoice.id)).data
        if value is not None:
            typed[invoice.id] = to_minor(
                value, g.tenant.currency, field=payments.alloc_field(invoice.id), allow_zero=True
            )
    return typed or None


def _recorded_message(result) -> str:
    money = lambda minor: format_money(minor, g.tenant)  # noqa: E731 - a local shorthand
    parts = [f"{money(amount)} to {invoice.number}" for invoice, amount in result.allocated]
    text = f"Payment of {money(result.payment.amount_minor)} recorded"
    text += (": " + ", ".join(parts)) if parts else ""
    if result.credit_minor:
        text += f"; {money(result.credit_minor)} kept as credit on the account"
    return text + "."


@bp.route("/customers/<customer_id>/payments/new", methods=["GET", "POST"])
@staff_required("payments", *READ)
def payment_new(customer_id):
    """Record money received from a customer, split over their open invoices."""
    customer = found_or_404(customers.get_customer, customer_id)
    invoices = payments.open_invoices(db.session, customer.id)
    form = payment_form_for(invoices)
    if request.method == "GET":
        form.received_on.data = bakery_today(g.tenant)
        chosen = request.args.get("invoice_id")
        for invoice in invoices:
            if str(invoice.id) == chosen:
                # From an invoice's page: its balance, set against that invoice.
                owed = minor_to_decimal(invoice.balance_minor, g.tenant.currency)
                form.amount.data = owed
                getattr(form, payments.alloc_field(invoice.id)).data = owed

    def record():
        return payments.record_payment(
            db.session,
            g.tenant,
            actor=current_user,
            customer=customer,
            method=form.method.data,
            amount_minor=to_minor(form.amount.data, g.tenant.currency, field="amount"),
            received_on=form.received_on.data,
            reference=form.reference.data or "",
            notes=form.notes.data or "",
            allocations=_allocations(form, invoices),
            idempotency_key=form.idempotency_key.data or "",
        )

    def done(result):
        if result.replayed:
            # The same form again (a double click, a retry): say so rather than "recorded".
            flash("This payment was already recorded; it was not recorded a second time.")
        else:
            flash(_recorded_message(result))
        return redirect(
            url_for(
                "backoffice.payment_view", customer_id=customer.id, payment_id=result.payment.id
            )
        )

    response, status = submit_form(form, record, done, catch=ValidationFailed)
    if response is not None:
        return response
    form.fresh_key()
    return render_template(
        "backoffice/receivables/payment_form.html",
        form=form,
        customer=customer,
        invoices=[(i, getattr(form, payments.alloc_field(i.id))) for i in invoices],
        credit=payments.account_credit(db.session, customer.id),
        today=bakery_today(g.tenant),
        decimal_sign=get_decimal_symbol(g.tenant.locale),
        places=get_currency_precision(g.tenant.currency),
    ), status


@bp.get("/customers/<customer_id>/payments/<payment_id>")
@staff_required(*READ)
def payment_view(customer_id, payment_id):
    """One payment: where it went, what is left as credit, and who recorded (or voided) it."""
    customer = found_or_404(customers.get_customer, customer_id)
    payment = found_or_404(payments.get_payment, payment_id, customer_id=customer.id)
    return render_template(
        "backoffice/receivables/payment.html",
        customer=customer,
        payment=payment,
        allocations=payments.allocations_of(db.session, payment),
    )


@bp.route("/customers/<customer_id>/payments/<payment_id>/void", methods=["GET", "POST"])
@staff_required("payments", *READ)
def payment_void(customer_id, payment_id):
    """Void a payment (a bounced cheque, a mistake): asks first, with the reason."""
    customer = found_or_404(customers.get_customer, customer_id)
    payment = found_or_404(payments.get_payment, payment_id, customer_id=customer.id)
    back = url_for("backoffice.payment_view", customer_id=customer.id, payment_id=payment.id)
    if payment.is_void:
        return redirect(back)
    form = VoidPaymentForm()
    status = 200
    if was_confirmed():
        response, status = submit_form(
            form,
            lambda: payments.void_payment(
                db.session,
                g.tenant,
                actor=current_user,
                payment=payment,
                reason=form.reason.data,
            ),
            lambda _: _voided(back),
            catch=ValidationFailed,
        )
        if response is not None:
            return response
    allocated = payments.allocations_of(db.session, payment)
    details = [
        f"{format_money(a.amount_minor, g.tenant)} comes off {invoice.number}, which is owed again."
        for a, invoice in allocated
    ]
    if payment.unallocated_minor:
        details.append(
            f"{format_money(payment.unallocated_minor, g.tenant)} of credit on the account "
            "disappears."
        )
    return confirm_page(
        BASE,
        question=f"Void the {payment.method_label.lower()} payment of "
        f"{format_money(payment.amount_minor, g.tenant)} from {customer.display_name}?",
        details=details or ["Nothing was allocated from it."],
        button="Void payment",
        cancel_url=back,
        danger=True,
        form=form,
        fields=[form.reason],
        status=status,
    )


def _voided(back):
    flash("Payment voided; its invoices are owed again.")
    return redirect(back)


@bp.post("/customers/<customer_id>/apply-credit")
@staff_required("payments", *READ)
def customer_apply_credit(customer_id):
    """Set the customer's credit on account against their open invoices, oldest due first."""
    customer = found_or_404(customers.get_customer, customer_id)
    target = url_for("backoffice.customer_account", customer_id=customer.id)
    return apply_change(
        lambda: payments.apply_credit_to_open_invoices(
            db.session, g.tenant, actor=current_user, customer=customer
        ),
        lambda applied: f"{format_money(applied, g.tenant)} of credit applied.",
        target,
    )
