"""The review queue: orders waiting for the bakery's decision, possible duplicates flagged.

Approve as is (from the queue), or adjust quantities and prices first (on the order's page; the
changes are recorded on its timeline), or reject with a reason. The buyer is mailed each
decision through the outbox, so the mail leaves only once the decision is committed.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_customers import to_minor
from admin.backoffice.forms_orders import RejectForm, VersionForm
from admin.backoffice.views_orders import READ, _order_page
from config.clock import utcnow
from config.edge import commit_change, found_or_404
from config.extensions import db
from config.numbers import NumberInputError, parse_number
from tenants.errors import ValidationFailed
from tenants.orders import desk, queries
from tenants.orders.quantities import parse_quantity


@bp.get("/orders/review")
@staff_required(*READ)
def review_queue():
    """Every order waiting for review, soonest delivery first (one statement)."""
    return render_template(
        "backoffice/orders/review.html",
        rows=desk.review_queue(db.session),
        form=VersionForm(formdata=None),
    )


def _version(form) -> int:
    try:
        return int(form.version.data or 0)
    except ValueError:
        abort(400)


def _line_changes(order) -> tuple[list[desk.LineChange], dict[str, str]]:
    """The review form's `qty-<line id>` and `price-<line id>` fields, or errors by line."""
    changes, errors = [], {}
    for line in queries.order_lines(db.session, order):
        key = str(line.id)
        qty_text = request.form.get(f"qty-{key}")
        price_text = request.form.get(f"price-{key}")
        if qty_text is None and price_text is None:
            continue
        try:
            quantity = (
                line.quantity if qty_text is None else parse_quantity(qty_text, g.tenant.locale)
            )
        except ValidationFailed as exc:
            errors[key] = exc.message
            continue
        try:
            price = (
                line.unit_price_minor
                if price_text is None
                else to_minor(parse_number(price_text, g.tenant.locale), order.currency)
            )
        except NumberInputError as exc:
            errors[key] = exc.message
            continue
        changes.append(desk.LineChange(line.id, quantity, price))
    return changes, errors


@bp.post("/orders/<order_id>/approve")
@staff_required("orders")
def order_approve(order_id):
    """Approve a pending order, with the reviewer's changes to its lines if any."""
    order = found_or_404(queries.get_order, order_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    version = _version(form)
    changes, errors = _line_changes(order)
    if errors:
        return _order_page(order, review_errors=errors, status=422)
    _, refused = commit_change(
        lambda: desk.approve_order(
            db.session,
            g.tenant,
            actor=current_user,
            order=order,
            expected_version=version,
            changes=changes,
            now=utcnow(),
        )
    )
    if refused is not None:
        if refused.field and refused.field.startswith("line-"):
            order = found_or_404(queries.get_order, order_id)
            return _order_page(
                order,
                review_errors={refused.field[5:]: refused.message},
                status=refused.status_code,
            )
        flash(refused.message, "error")
        return redirect(url_for("backoffice.order_view", order_id=order_id))
    flash(f"Order {order.number} is confirmed; the buyer is told by email.")
    return redirect(_back())


@bp.post("/orders/<order_id>/reject")
@staff_required("orders")
def order_reject(order_id):
    """Reject a pending order; the reason goes to the buyer."""
    order = found_or_404(queries.get_order, order_id)
    form = RejectForm()
    if not form.validate_on_submit():
        if getattr(form, "csrf_token", None) is not None and form.csrf_token.errors:
            abort(400)
        return _order_page(order, reject_form=form, status=422)
    _, refused = commit_change(
        lambda: desk.reject_order(
            db.session,
            g.tenant,
            actor=current_user,
            order=order,
            expected_version=_version(form),
            reason=form.reason.data,
            now=utcnow(),
        )
    )
    if refused is not None:
        flash(refused.message, "error")
        return redirect(url_for("backoffice.order_view", order_id=order_id))
    flash(f"Order {order.number} is rejected; the buyer is told why by email.")
    return redirect(_back())


def _back() -> str:
    """Back to the queue when the decision was taken there, else to the order."""
    if request.form.get("from") == "queue":
        return url_for("backoffice.review_queue")
    return url_for("backoffice.order_view", order_id=uuid.UUID(str(request.view_args["order_id"])))
