"""The bakery's orders in the back office: the list (filters, sort, pages, CSV), one order with
its lines, prices, timeline and the buyer's messages, and status changes one by one or in bulk.

Thin views over `tenants.orders` (queries, desk, states). Orders show customers' negotiated
prices, so reading them needs `customers_view` as well as `orders_view`; changing them `orders`.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.csv_orders import orders_csv
from admin.backoffice.forms_orders import (
    BulkStatusForm,
    OrderFilterForm,
    RejectForm,
    StatusForm,
    VersionForm,
)
from admin.backoffice.views_catalog_io import csv_response
from config.clock import utcnow
from config.edge import apply_change, commit_change, found_or_404
from config.extensions import db
from config.formatting import format_date, minor_to_decimal
from tenants.errors import NotFound
from tenants.orders import desk, queries
from tenants.orders.delivery import adjustments_of
from tenants.orders.models import SOURCES, STATUSES
from tenants.orders.states import change_status, next_statuses
from tenants.orders.timeline import KINDS, order_timeline

READ = ("orders_view", "customers_view")
NOT_IN_BULK = ("pending_review", "rejected")


def when(value):
    return format_date(value, g.tenant, with_time=True)


def _filters(form: OrderFilterForm) -> desk.OrderFilters:
    customer_id = None
    if form.customer_id.data:
        try:
            customer_id = uuid.UUID(form.customer_id.data)
        except ValueError:
            form.customer_id.errors = ["Choose a customer from the list."]
    return desk.OrderFilters(
        delivery_from=form.delivery_from.data,
        delivery_until=form.delivery_until.data,
        status=form.status.data or None,
        customer_id=customer_id,
        source=form.source.data or None,
    )


def _filter_form() -> OrderFilterForm:
    form = OrderFilterForm(request.args)
    form.customer_id.choices = [("", "Any customer")] + [
        (str(cid), name) for cid, name in desk.customer_choices(db.session)
    ]
    form.validate()
    return form


@bp.get("/orders")
@staff_required(*READ)
def orders_list():
    """The bakery's orders, filtered and sorted, a page at a time (constant statements)."""
    form = _filter_form()
    filters = _filters(form)
    page = desk.staff_orders(
        db.session, filters, sort=form.sort.data or "-delivery", page=form.page.data or 1
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    bulk = BulkStatusForm(formdata=None)
    # An order never goes back to review, and a rejection needs its own reason.
    bulk.to.choices = [(s, label) for s, label in STATUSES.items() if s not in NOT_IN_BULK]
    return render_template(
        "backoffice/orders/list.html",
        form=form,
        page=page,
        args=args,
        bulk=bulk,
        statuses=STATUSES,
        sources=SOURCES,
    )


@bp.get("/orders/export.csv")
@staff_required(*READ)
def orders_export():
    """The filtered list (every page of it) as CSV."""
    form = _filter_form()
    rows = desk.export_orders(db.session, _filters(form), sort=form.sort.data or "-delivery")
    return csv_response(orders_csv(rows), f"{g.tenant.slug}-orders.csv")


@bp.post("/orders/bulk-status")
@staff_required("orders")
def orders_bulk_status():
    """Move the ticked orders to one status; those the lifecycle refuses are named."""
    form = BulkStatusForm()
    form.to.choices = list(STATUSES.items())
    if not form.validate_on_submit():
        abort(400)
    back = url_for("backoffice.orders_list", **_list_args())
    result, refused = commit_change(
        lambda: desk.bulk_change_status(
            db.session,
            g.tenant,
            actor=current_user,
            order_ids=form.order_ids.data or [],
            to=form.to.data,
            now=utcnow(),
        )
    )
    if isinstance(refused, NotFound):
        abort(404)
    if refused is not None:
        flash(refused.message, "error")
        return redirect(back)
    if result.changed:
        numbers = ", ".join(str(n) for n in result.changed)
        flash(f"{STATUSES[form.to.data]}: orders {numbers}.")
    for refusal in result.refused:
        flash(refusal, "error")
    return redirect(back)


def _list_args() -> dict:
    """The list's filters the bulk form carried back (so the list comes back as it was)."""
    keys = ("delivery_from", "delivery_until", "status", "customer_id", "source", "sort", "page")
    return {k: request.form[k] for k in keys if request.form.get(k)}


@bp.get("/orders/<order_id>")
@staff_required(*READ)
def order_view(order_id):
    """One order for staff: lines with frozen prices and rules, totals, delivery, the timeline
    and the buyer's messages; status buttons, and for an order waiting for review, the review."""
    order = found_or_404(queries.get_order, order_id)
    return _order_page(order)


def _order_page(order, *, review_errors=None, reject_form=None, status=200):
    timeline = order_timeline(db.session, order)
    status_form = StatusForm(formdata=None, version=order.version)
    status_form.to.choices = [
        (s, STATUSES[s]) for s in next_statuses(order) if s not in ("rejected",)
    ]
    customer = desk.order_customer(db.session, order)
    return render_template(
        "backoffice/orders/detail.html",
        order=order,
        customer=customer,
        lines=queries.order_lines(db.session, order),
        location=queries.order_location(db.session, order),
        delivery=adjustments_of(db.session, [order.id]).get(order.id, []),
        timeline=timeline,
        messages=[e for e in timeline if e.kind == "message"],
        kinds=KINDS,
        statuses=STATUSES,
        sources=SOURCES,
        status_form=status_form,
        version_form=VersionForm(formdata=None, version=order.version),
        reject_form=reject_form or RejectForm(formdata=None, version=order.version),
        review_errors=review_errors or {},
        posted=request.form if review_errors else {},
        decimal=lambda minor: minor_to_decimal(minor, order.currency),
        when=when,
    ), status


@bp.post("/orders/<order_id>/status")
@staff_required("orders")
def order_status(order_id):
    """Move one order to the next status (the lifecycle says which may follow which)."""
    order = found_or_404(queries.get_order, order_id)
    form = StatusForm()
    form.to.choices = list(STATUSES.items())
    if not form.validate_on_submit():
        abort(400)
    try:
        version = int(form.version.data or 0)
    except ValueError:
        abort(400)
    target = url_for("backoffice.order_view", order_id=order.id)
    return apply_change(
        lambda: change_status(
            db.session,
            g.tenant,
            actor=current_user,
            order=order,
            to=form.to.data,
            expected_version=version,
            reason=form.reason.data or "",
            now=utcnow(),
        ),
        lambda changed: f"Order {changed.number} is now {changed.status_label.lower()}.",
        target,
    )
