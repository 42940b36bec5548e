"""The order desk: staff enter an order for a customer (by phone, say) through the same
`place_order` a buyer's checkout uses: the same engine, calendar, quantities and minimums. A
date whose cut-off has passed may be taken with a reason, recorded on the timeline with who."""

from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_orders import DeskOrderForm
from config.clock import utcnow
from config.edge import commit_change, found_or_404
from config.extensions import db
from config.formatting import format_day
from config.forms import attach_error
from tenants.customers import services as customers
from tenants.customers.locations import list_locations
from tenants.errors import ValidationFailed
from tenants.orders import desk
from tenants.orders.calendar import delivery_calendar
from tenants.orders.errors import DateNotOrderable, OpenOrderExists
from tenants.orders.placement import place_order
from tenants.orders.quantities import parse_quantity


def _day_label(option) -> str:
    text = format_day(option.day)
    return text if option.orderable else f"{text} (cut-off passed: give a reason)"


def _desk_page(customer, form, *, errors=None, duplicate=None, status=200):
    calendar = delivery_calendar(db.session, g.tenant, customer=customer, now=utcnow())
    days = [d for d in calendar.days if d.orderable or d.only_past_cutoff]
    form.delivery_date.choices = [(d.day.isoformat(), _day_label(d)) for d in days]
    if form.delivery_date.data is None and calendar.earliest:
        form.delivery_date.data = calendar.earliest.isoformat()
    locations = list_locations(db.session, customer)
    form.location_id.choices = [(str(loc.id), loc.name) for loc in locations]
    form.fresh_key()
    return render_template(
        "backoffice/orders/desk.html",
        customer=customer,
        customers=desk.customer_choices(db.session),
        form=form,
        products=desk.desk_products(db.session, customer),
        quantities={k[4:]: v for k, v in request.form.items() if k.startswith("qty-")},
        errors=errors or {},
        duplicate=duplicate,
    ), status


@bp.get("/orders/new")
@staff_required("orders", "customers_view")
def order_desk():
    """Choose a customer, then enter the quantities, the place and the date."""
    customer_id = request.args.get("customer_id")
    if not customer_id:
        return render_template(
            "backoffice/orders/desk_choose.html", customers=desk.customer_choices(db.session)
        )
    customer = found_or_404(customers.get_customer, customer_id)
    return _desk_page(customer, DeskOrderForm(formdata=None))


def _lines() -> tuple[list[tuple[str, int]], dict[str, str]]:
    lines, errors = [], {}
    for key, value in request.form.items():
        if not key.startswith("qty-") or not value.strip():
            continue
        try:
            quantity = parse_quantity(value, g.tenant.locale)
        except ValidationFailed as exc:
            errors[key[4:]] = exc.message
            continue
        if quantity:
            lines.append((key[4:], quantity))
    return lines, errors


@bp.post("/orders/new")
@staff_required("orders", "customers_view")
def order_desk_place():
    """Place the order for the customer; it carries source `staff` and the staff member."""
    customer = found_or_404(customers.get_customer, request.args.get("customer_id", ""))
    form = DeskOrderForm()
    if not form.validate_on_submit():
        return _desk_page(customer, form, status=422 if form.errors else 400)
    lines, errors = _lines()
    if errors:
        return _desk_page(customer, form, errors=errors, status=422)
    try:
        day = date.fromisoformat(form.delivery_date.data)
    except ValueError:
        form.delivery_date.errors = ["Choose a delivery date."]
        return _desk_page(customer, form, status=422)
    placement, refused = commit_change(
        lambda: place_order(
            db.session,
            g.tenant,
            customer=customer,
            actor=current_user,
            lines=lines,
            location_id=form.location_id.data,
            delivery_date=day,
            po_number=form.po_number.data or "",
            notes=form.notes.data or "",
            idempotency_key=form.idempotency_key.data or "",
            now=utcnow(),
            cutoff_override_reason=form.cutoff_override_reason.data or "",
            allow_second_order=bool(form.allow_second_order.data),
            source="staff",
        ),
        catch=(OpenOrderExists, ValidationFailed),
    )
    if isinstance(refused, OpenOrderExists):
        form.delivery_date.errors = [refused.message]
        return _desk_page(customer, form, duplicate=refused.order, status=refused.status_code)
    if refused is not None:
        if refused.field == "location":
            refused.field = "location_id"
        if isinstance(refused, DateNotOrderable) and all(
            r.code == "past_cutoff" for r in refused.refusals
        ):
            refused.message += " To take it anyway, give the reason for overriding the cut-off."
        attach_error(form, refused)
        return _desk_page(customer, form, status=refused.status_code)
    order = placement.order
    if placement.created:
        flash(f"Order {order.number} for {customer.business_name} is placed.")
    return redirect(url_for("backoffice.order_view", order_id=order.id))
