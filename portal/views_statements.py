"""The buyer's statement: every open invoice they may see with what is left to pay, on screen
and as a PDF. Thin views over `billing.statements`; a contact without `view_invoices` gets a
403 (and no link to it), a location-level contact sees their location's invoices only and no
account credit (it belongs to the whole account).
"""

from __future__ import annotations

from flask import Response, g, render_template
from flask_babel import gettext as _

from billing.statements import build_statement, statement_pdf
from config.clock import bakery_today
from config.extensions import db
from config.formatting import format_date
from portal import bp
from portal.access import buyer_required


def _statement():
    return build_statement(
        db.session, g.tenant, g.customer, today=bakery_today(g.tenant), contact=g.contact
    )


@bp.get("/statement")
@buyer_required("view_invoices", staff_permission="invoices")
def statement():
    """Open invoices and balances, overdue first in the totals, with a PDF to keep."""
    return render_template(
        "portal/statement.html",
        statement=_statement(),
        date=lambda value: format_date(value, g.tenant),
    )


@bp.get("/statement.pdf")
@buyer_required("view_invoices", staff_permission="invoices")
def statement_download():
    """The same statement as a branded PDF, in the bakery's language."""
    found = _statement()
    labels = {
        "title": _("Statement"),
        "for": _("Statement for {customer} on {date}"),
        "invoice": _("Invoice"),
        "date": _("Date"),
        "due": _("Due"),
        "total": _("Total"),
        "balance": _("Balance"),
        "overdue": _("{days} days overdue"),
        "open_total": _("Open invoices: {amount}"),
        "overdue_total": _("Overdue: {amount}"),
        "credit": _("Credit on account: {amount}"),
        "due_now": _("Left to pay: {amount}"),
        "none": _("No open invoices. Thank you!"),
    }
    return Response(
        statement_pdf(g.tenant, found, labels),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="statement-{found.as_of}.pdf"',
            "Cache-Control": "no-store",
        },
    )
