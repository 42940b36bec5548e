"""Recording what was delivered on an order (staff with `orders`): per line the quantity
delivered and returned, and a substitute product; thin over `billing.delivery`."""

from __future__ import annotations

import uuid

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_invoices import DeliveryForm
from billing.delivery import LineDelivery, Substitution, on_live_invoice, record_delivery
from config.edge import commit_change, found_or_404
from config.extensions import db
from config.numbers import NumberInputError, parse_whole_number
from tenants.catalog.products import all_products
from tenants.orders import desk, queries
from tenants.orders.delivery import adjustments_of


def _number(raw: str, default: int) -> int:
    raw = (raw or "").strip()
    return default if not raw else parse_whole_number(raw, g.tenant.locale)


def _current(adjustments, line) -> tuple[int, int]:
    """(delivered, returned) of `line` as recorded so far."""
    short = sum(a.quantity for a in adjustments if a.order_line_id == line.id and a.kind == "short")
    returned = sum(
        a.quantity for a in adjustments if a.order_line_id == line.id and a.kind == "return"
    )
    return line.quantity - short, returned


@bp.route("/orders/<order_id>/delivery", methods=["GET", "POST"])
@staff_required("orders", "customers_view")
def order_delivery(order_id):
    """Shorts, returns and a substitution for one order, before it is invoiced."""
    order = found_or_404(queries.get_order, order_id)
    customer = desk.order_customer(db.session, order)
    lines = queries.order_lines(db.session, order)
    adjustments = adjustments_of(db.session, [order.id]).get(order.id, [])
    substitutions = [a for a in adjustments if a.kind == "substitution"]
    form = DeliveryForm()
    products = [p for p in all_products(db.session) if p.active]
    form.substitute_product.choices = [("", "No substitute")] + [
        (str(p.id), f"{p.name} ({p.sku})") for p in products
    ]
    form.substitute_for.choices = [("", "—")] + [(str(x.id), x.product_name) for x in lines]
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        entries, subs = [], []
        for line in lines:
            delivered, returned = _current(adjustments, line)
            try:
                entries.append(
                    LineDelivery(
                        line.id,
                        _number(request.form.get(f"delivered-{line.id}"), delivered),
                        _number(request.form.get(f"returned-{line.id}"), returned),
                        form.reason.data or "",
                    )
                )
            except NumberInputError as exc:
                errors[f"delivered-{line.id}"] = str(exc)
        for kept in substitutions:
            if request.form.get(f"keep-{kept.id}"):
                subs.append(
                    Substitution(kept.product_id, kept.quantity, kept.order_line_id, kept.reason)
                )
        if form.substitute_product.data:
            try:
                qty = _number(form.substitute_quantity.data, 0)
                subs.append(
                    Substitution(
                        uuid.UUID(form.substitute_product.data),
                        qty,
                        uuid.UUID(form.substitute_for.data) if form.substitute_for.data else None,
                        form.reason.data or "",
                    )
                )
                if qty <= 0:
                    form.substitute_quantity.errors = ["Enter how many were delivered instead."]
            except (NumberInputError, ValueError) as exc:
                form.substitute_quantity.errors = [str(exc)]
        if not errors and not form.substitute_quantity.errors:
            _, refused = commit_change(
                lambda: record_delivery(
                    db.session,
                    g.tenant,
                    actor=current_user,
                    order=order,
                    customer=customer,
                    lines=entries,
                    substitutions=subs,
                )
            )
            if refused is None:
                flash(f"Delivery of order {order.number} recorded.")
                return redirect(url_for("backoffice.order_view", order_id=order.id))
            errors[refused.field or "form"] = refused.message
    return render_template(
        "backoffice/orders/delivery.html",
        order=order,
        customer=customer,
        lines=[(line, *_current(adjustments, line)) for line in lines],
        substitutions=substitutions,
        form=form,
        errors=errors,
        posted=request.form if request.method == "POST" else {},
        locked=on_live_invoice(db.session, order),
    ), (422 if request.method == "POST" else 200)
