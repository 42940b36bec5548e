"""Standing orders in the back office: the list across customers with the occurrences needing
attention, a customer's standing orders (on the customer page), set one up or change it for a
customer, end it, skip or restore a week, resolve an attention item; and the bakery's
standing-order settings on the delivery calendar page.

Reading needs `orders_view` and `customers_view`; changing needs `orders` (the same as entering
an order by phone). Thin views over `tenants.orders.standing*`.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_standing import StaffStandingOrderForm, StandingSettingsForm
from config.clock import bakery_today, utcnow
from config.confirm import confirm_page
from config.edge import apply_change, commit_change, found_or_404, redirect_after, submit_form
from config.extensions import db
from config.forms import ConfirmForm, attach_error
from tenants.customers import services as customers
from tenants.customers.locations import list_locations
from tenants.errors import ValidationFailed
from tenants.orders import standing_weeks as weeks
from tenants.orders.desk import desk_products
from tenants.orders.standing import coming_occurrences
from tenants.orders.standing_check import day_text, describe
from tenants.orders.standing_edit import (
    create_standing_order,
    end_standing_order,
    form_lines,
    get_standing_order,
    lines_of,
    standing_orders_of,
    update_standing_order,
)
from tenants.orders.standing_generate import needs_attention, resolve_attention
from tenants.orders.standing_listing import customer_names, staff_rows
from tenants.orders.standing_settings import current_settings, save_settings

READ = ("orders_view", "customers_view")
WRITE = ("orders", "customers_view")


@bp.app_context_processor
def _standing_helpers():
    """Template helpers for the pages that show standing orders beside their own content (the
    customer page, home): called only where those templates include them."""

    def standing_of_customer(customer):
        return standing_orders_of(db.session, customer_id=customer.id)

    def standing_attention():
        return needs_attention(db.session)

    return {
        "standing_of_customer": standing_of_customer,
        "standing_attention": standing_attention,
        "standing_day": lambda d: day_text(d, g.tenant),
    }


@bp.get("/standing")
@staff_required(*READ)
def standing_orders_list():
    """Every standing order with its next delivery, and the occurrences needing attention."""
    now = utcnow()
    rows = staff_rows(db.session, g.tenant, now=now)
    return render_template(
        "backoffice/standing/list.html",
        rows=rows,
        attention=needs_attention(db.session),
        names=customer_names(db.session, [so.customer_id for so, _occ in rows]),
        day=lambda d: day_text(d, g.tenant),
        describe=lambda p: describe(p, g.tenant),
        form=ConfirmForm(formdata=None),
    )


def _customer(customer_id):
    return found_or_404(customers.get_customer, customer_id)


def _order(standing_order_id):
    return found_or_404(get_standing_order, standing_order_id)


def _form(customer, **kwargs) -> StaffStandingOrderForm:
    form = StaffStandingOrderForm(**kwargs)
    form.location_id.choices = [
        (str(loc.id), loc.name) for loc in list_locations(db.session, customer)
    ]
    return form


def _form_page(customer, form, *, order=None, quantities=None, errors=None, status=200):
    return render_template(
        "backoffice/standing/form.html",
        customer=customer,
        form=form,
        order=order,
        products=desk_products(db.session, customer),
        quantities=quantities or {},
        errors=errors or {},
    ), status


def _posted() -> dict[str, str]:
    return {k[4:]: v for k, v in request.form.items() if k.startswith("qty-")}


def _save(customer, form, order, action):
    lines, errors = form_lines(request.form.items(), g.tenant.locale)
    if errors:
        return _form_page(
            customer, form, order=order, quantities=_posted(), errors=errors, status=422
        )
    result, refused = commit_change(lambda: action(lines))
    if refused is not None:
        if refused.field == "location":
            refused.field = "location_id"
        attach_error(form, refused)
        return _form_page(
            customer, form, order=order, quantities=_posted(), status=refused.status_code
        )
    flash("Standing order saved.")
    return redirect(url_for("backoffice.standing_order_view", standing_order_id=result.id))


def _fields(form) -> dict:
    return dict(
        location_id=form.location_id.data,
        starts_on=form.starts_on.data,
        every_weeks=form.every_weeks.data,
        ends_on=form.ends_on.data,
        name=form.name.data,
        notes=form.notes.data,
        now=utcnow(),
    )


@bp.route("/customers/<customer_id>/standing/new", methods=["GET", "POST"])
@staff_required(*WRITE)
def standing_order_new(customer_id):
    """Set up a standing order for a customer."""
    customer = _customer(customer_id)
    form = _form(customer, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _form_page(customer, form, quantities=_posted(), status=422)
        return _save(
            customer,
            form,
            None,
            lambda lines: create_standing_order(
                db.session,
                g.tenant,
                actor=current_user,
                customer=customer,
                lines=lines,
                **_fields(form),
            ),
        )
    return _form_page(customer, form)


@bp.get("/standing/<standing_order_id>")
@staff_required(*READ)
def standing_order_view(standing_order_id):
    """One standing order: its lines, its next six weeks, pauses, and who set it up."""
    order = _order(standing_order_id)
    customer = _customer(order.customer_id)
    now = utcnow()
    return render_template(
        "backoffice/standing/detail.html",
        order=order,
        customer=customer,
        lines=lines_of(db.session, [order.id]).get(order.id, []),
        products={p.id: p for p in desk_products(db.session, customer)},
        location=next(
            (loc for loc in list_locations(db.session, customer) if loc.id == order.location_id),
            None,
        ),
        coming=coming_occurrences(db.session, g.tenant, now=now, orders=[order]),
        pauses=weeks.pauses_of(db.session, order.id, from_day=bakery_today(g.tenant, now)),
        day=lambda d: day_text(d, g.tenant),
        form=ConfirmForm(formdata=None),
        ended=order.ends_on is not None and order.ends_on < bakery_today(g.tenant, now),
    )


@bp.route("/standing/<standing_order_id>/edit", methods=["GET", "POST"])
@staff_required(*WRITE)
def standing_order_edit(standing_order_id):
    """Change a standing order from its next open delivery on."""
    order = _order(standing_order_id)
    customer = _customer(order.customer_id)
    if request.method == "GET":
        form = _form(
            customer,
            formdata=None,
            obj=order,
            location_id=str(order.location_id),
            every_weeks=str(order.every_weeks),
        )
        current = {
            str(line.product_id): str(line.quantity)
            for line in lines_of(db.session, [order.id]).get(order.id, [])
        }
        return _form_page(customer, form, order=order, quantities=current)
    form = _form(customer)
    if not form.validate_on_submit():
        return _form_page(customer, form, order=order, quantities=_posted(), status=422)
    return _save(
        customer,
        form,
        order,
        lambda lines: update_standing_order(
            db.session,
            g.tenant,
            actor=current_user,
            customer=customer,
            standing_order=order,
            lines=lines,
            **_fields(form),
        ),
    )


@bp.route("/standing/<standing_order_id>/end", methods=["GET", "POST"])
@staff_required(*WRITE)
def standing_order_end(standing_order_id):
    """End a standing order (a confirm step first)."""
    order = _order(standing_order_id)
    customer = _customer(order.customer_id)
    back = url_for("backoffice.standing_order_view", standing_order_id=order.id)
    if request.method == "POST" and ConfirmForm().validate_on_submit():
        return apply_change(
            lambda: end_standing_order(
                db.session,
                g.tenant,
                actor=current_user,
                customer=customer,
                standing_order=order,
                now=utcnow(),
            ),
            "The standing order has ended.",
            back,
        )
    return confirm_page(
        "backoffice/base.html",
        question=f"End this standing order of {customer.business_name}?",
        details=["No more deliveries will be placed from it. Orders already placed stay."],
        button="End standing order",
        cancel_url=back,
        danger=True,
    )


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(404)


def _week(standing_order_id, day, action, message):
    order = _order(standing_order_id)
    customer = _customer(order.customer_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    nominal = _day(day)
    return apply_change(
        lambda: action(
            db.session,
            g.tenant,
            actor=current_user,
            customer=customer,
            standing_order=order,
            nominal=nominal,
            now=utcnow(),
        ),
        message.format(day=day_text(nominal, g.tenant)),
        url_for("backoffice.standing_order_view", standing_order_id=order.id),
    )


@bp.post("/standing/<standing_order_id>/weeks/<day>/skip")
@staff_required(*WRITE)
def standing_order_skip(standing_order_id, day):
    """Skip one delivery (before its cut-off)."""
    return _week(standing_order_id, day, weeks.skip_week, "Skipped {day}.")


@bp.post("/standing/<standing_order_id>/weeks/<day>/restore")
@staff_required(*WRITE)
def standing_order_restore(standing_order_id, day):
    """Undo a skip (before the cut-off)."""
    return _week(standing_order_id, day, weeks.restore_week, "{day} will be delivered again.")


@bp.post("/standing/attention/<occurrence_id>/resolve")
@staff_required(*WRITE)
def standing_attention_resolve(occurrence_id):
    """Mark an occurrence that could not be placed as dealt with."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _done, refused = commit_change(
        lambda: resolve_attention(
            db.session, g.tenant, actor=current_user, occurrence_id=occurrence_id, now=utcnow()
        )
    )
    if refused is not None and refused.status_code == 404:
        abort(404)
    flash(refused.message if refused else "Marked as dealt with.")
    return redirect(request.form.get("back") or url_for("backoffice.standing_orders_list"))


@bp.post("/settings/delivery/standing")
@staff_required("settings")
def standing_settings_save():
    """Save what a closure does to standing orders and the preview's lead time."""
    form = StandingSettingsForm()
    response, status = submit_form(
        form,
        lambda: save_settings(
            db.session,
            g.tenant,
            actor=current_user,
            closure_policy=form.closure_policy.data,
            preview_days=form.preview_days.data,
        ),
        redirect_after(
            "Standing-order settings saved.", url_for("backoffice.delivery_calendar_settings")
        ),
        catch=ValidationFailed,
    )
    return response or (render_template("backoffice/standing/settings.html", form=form), status)


def standing_settings_form() -> StandingSettingsForm:
    """The settings form filled from what the bakery saved (the calendar page shows it)."""
    policy, days = current_settings(db.session)
    return StandingSettingsForm(formdata=None, closure_policy=policy, preview_days=days)


@bp.app_context_processor
def _settings_helper():
    return {"standing_settings_form": standing_settings_form}
