"""Receivables in the back office: the ageing of what customers owe, a customer's account
(open invoices, payments, credit, statement), the accounting exports, the reminder settings.

Thin views over `billing.ageing`, `billing.statements`, `billing.exports` and
`billing.receivables_settings`. Reading needs `customers_view` and `invoices`.
"""

from __future__ import annotations

from flask import Response, g, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_receivables import ExportForm, ReceivablesSettingsForm
from admin.backoffice.views_catalog_io import csv_response
from billing import ageing, exports, receivables_settings, statements
from billing.dunning import reminders_by_invoice
from billing.payment_queries import payments_page
from config.clock import bakery_today
from config.edge import apply_change, found_or_404, save_form
from config.extensions import db
from config.money import format_money
from tenants.customers import services as customers
from tenants.errors import ValidationFailed

READ = ("customers_view", "invoices")


@bp.get("/receivables")
@staff_required(*READ)
def receivables():
    """Ageing per customer with totals (three statements however many customers)."""
    table = ageing.ageing(db.session, today=bakery_today(g.tenant))
    return render_template(
        "backoffice/receivables/ageing.html",
        table=table,
        buckets=ageing.BUCKETS,
        export=ExportForm(request.args),
    )


@bp.get("/customers/<customer_id>/account")
@staff_required(*READ)
def customer_account(customer_id):
    """A customer's account: balance by age, credit, open invoices, payments, statement."""
    customer = found_or_404(customers.get_customer, customer_id)
    today = bakery_today(g.tenant)
    statement = statements.build_statement(db.session, g.tenant, customer, today=today)
    return render_template(
        "backoffice/receivables/account.html",
        customer=customer,
        statement=statement,
        balance=ageing.customer_balance(db.session, customer.id, today=today),
        buckets=ageing.BUCKETS,
        payments=payments_page(db.session, customer_id=customer.id),
        reminders=reminders_by_invoice(db.session, [line.invoice.id for line in statement.lines]),
    )


@bp.get("/customers/<customer_id>/statement.pdf")
@staff_required(*READ)
def customer_statement_pdf(customer_id):
    """The customer's statement as of today, as a PDF."""
    customer = found_or_404(customers.get_customer, customer_id)
    statement = statements.build_statement(
        db.session, g.tenant, customer, today=bakery_today(g.tenant)
    )
    return Response(
        statements.statement_pdf(g.tenant, statement),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="statement-{statement.as_of}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/customers/<customer_id>/statement/email")
@staff_required(*READ)
def customer_statement_email(customer_id):
    """Email the customer's billing people their statement now (sent after the commit)."""
    customer = found_or_404(customers.get_customer, customer_id)
    return apply_change(
        lambda: statements.email_statement(
            db.session, g.tenant, actor=current_user, customer=customer
        ),
        lambda count: f"Statement emailed to {count} {'person' if count == 1 else 'people'}.",
        url_for("backoffice.customer_account", customer_id=customer.id),
    )


def _period(form: ExportForm) -> exports.Period:
    form.validate()
    return exports.Period(start=form.date_from.data, end=form.date_until.data)


def _filename(kind: str, period: exports.Period) -> str:
    span = f"{period.start or 'start'}-to-{period.end or bakery_today(g.tenant)}"
    return f"{g.tenant.slug}-{kind}-{span}.csv"


@bp.get("/receivables/invoices.csv")
@staff_required(*READ)
def export_invoices():
    period = _period(ExportForm(request.args))
    text = exports.invoices_csv(db.session, period=period, today=bakery_today(g.tenant))
    return csv_response(text, _filename("invoices", period))


@bp.get("/receivables/payments.csv")
@staff_required(*READ)
def export_payments():
    period = _period(ExportForm(request.args))
    return csv_response(
        exports.payments_csv(db.session, period=period), _filename("payments", period)
    )


@bp.get("/receivables/xero.csv")
@staff_required(*READ)
def export_xero():
    period = _period(ExportForm(request.args))
    text = exports.xero_csv(db.session, g.tenant, period=period)
    # Xero reads the file as it is: no byte-order mark in front of the first heading.
    response = csv_response(text, _filename("xero-sales-invoices", period))
    response.set_data(text.encode("utf-8"))
    return response


@bp.route("/settings/receivables", methods=["GET", "POST"])
@staff_required("invoices")
def receivables_settings_page():
    """The payment reminder schedule, monthly statements, and the Xero export's codes."""
    current = receivables_settings.get_settings(db.session)
    form = ReceivablesSettingsForm(obj=current)
    if request.method == "GET":
        steps = current.reminder_steps or []
        form.before.data = next((-s for s in steps if s < 0), None)
        form.on_due_date.data = 0 in steps
        form.after.data = ", ".join(str(s) for s in steps if s > 0)

    def save():
        steps = receivables_settings.steps_from(
            form.before.data,
            form.on_due_date.data,
            receivables_settings.parse_after_days(form.after.data or ""),
        )
        return receivables_settings.update_settings(
            db.session,
            g.tenant,
            actor=current_user,
            reminders_enabled=form.reminders_enabled.data,
            steps=steps,
            statements_enabled=form.statements_enabled.data,
            statement_day=form.statement_day.data,
            xero_account_code=form.xero_account_code.data,
            xero_tax_type=form.xero_tax_type.data,
            xero_zero_tax_type=form.xero_zero_tax_type.data,
        )

    return save_form(
        form,
        save,
        url_for("backoffice.receivables_settings_page"),
        "backoffice/receivables/settings.html",
        message="Reminder and statement settings saved.",
        catch=ValidationFailed,
    )


def customer_balance_card(customer):
    """The balance and credit shown on the customer page (None for staff who may not see it)."""
    if not (current_user.can("invoices") and current_user.can("customers_view")):
        return None
    today = bakery_today(g.tenant)
    row = ageing.customer_balance(db.session, customer.id, today=today)
    return {
        "total": format_money(row.total_minor, g.tenant),
        "overdue": format_money(row.overdue_minor, g.tenant) if row.overdue_minor else "",
        "credit": format_money(row.credit_minor, g.tenant) if row.credit_minor else "",
        "invoices": row.invoices,
    }
