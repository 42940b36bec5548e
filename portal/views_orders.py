"""The buyer's ordering pages: add to cart, the cart, checkout, the orders list and an order.

Thin views over `tenants.orders`: resolve the contact, check the permission, validate the form,
call one service, commit once, render. Every form works without JavaScript. An order id that is
another bakery's, another customer's or outside the contact's access level answers 404.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from billing.card_checkout import checkout_options, order_invoice, place_from_cart
from billing.online_payments import can_pay_online
from billing.stripe_gateway import StripeUnavailable
from config.clock import utcnow
from config.edge import found_or_404
from config.extensions import db
from config.formatting import format_date, format_day
from config.forms import ConfirmForm, attach_error
from portal import bp
from portal.access import buyer_required, may
from portal.forms_followup import RatingForm
from portal.forms_orders import (
    CheckoutForm,
    MessageForm,
    OrderActionForm,
    OrdersFilterForm,
    QuantityForm,
)
from portal.views_pay import paid_url, refusal_message, unpaid_url
from tenants.errors import ValidationFailed
from tenants.orders import queries
from tenants.orders.calendar import delivery_calendar
from tenants.orders.cart import cart_lines, find_cart, set_quantity
from tenants.orders.checkout import add_cart_to_order, checkout_page
from tenants.orders.delivery import adjustments_of
from tenants.orders.editing import cancel_order, change_refusal, edit_order
from tenants.orders.errors import OpenOrderExists, OrderConflict
from tenants.orders.messages import ask_bakery
from tenants.orders.models import STATUSES
from tenants.orders.quantities import parse_quantity
from tenants.orders.ratings import rating_for
from tenants.orders.reorder import reorder
from tenants.orders.timeline import KINDS, order_timeline


def _set_quantity(form: QuantityForm, *, add: bool):
    """Run set_quantity for a posted QuantityForm; the refusal goes next to the quantity."""
    if not form.validate_on_submit():
        return False, 422 if form.errors else 400
    try:
        set_quantity(
            db.session,
            g.tenant,
            contact=g.contact,
            customer=g.customer,
            product_id=form.product_id.data,
            quantity=parse_quantity(form.quantity.data, g.tenant.locale),
            now=utcnow(),
            add=add,
        )
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        form.quantity.errors = [*form.quantity.errors, exc.message]
        return False, exc.status_code
    return True, 200


@bp.post("/cart/add")
@buyer_required("create_orders", staff_permission="catalog_view")
def cart_add():
    """Add a quantity of a product from the catalog (a plain form; no JavaScript needed)."""
    from portal.views_catalog import render_catalog

    form = QuantityForm()
    ok, status = _set_quantity(form, add=True)
    if _wants_json():
        return _cart_add_json(form, ok, status)
    if ok:
        flash(_("Added to your cart."))
        return redirect(url_for("portal.catalog") + f"#p-{form.product_id.data}")
    return render_catalog(errors={form.product_id.data: form.quantity.errors}), status


def _wants_json() -> bool:
    """The catalog's script asks for JSON (Accept: application/json); a plain form gets HTML."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _cart_add_json(form: QuantityForm, ok: bool, status: int):
    """The add-to-cart answer for the script: the same messages the HTML page shows."""
    if not ok:
        errors = {name: list(messages) for name, messages in form.errors.items()}
        if form.quantity.errors:
            errors["quantity"] = list(form.quantity.errors)
        message = next(iter(errors.values()), [_("Please try again.")])[0]
        return jsonify(ok=False, message=message, errors=errors), status
    count = len(cart_lines(db.session, find_cart(db.session, g.contact)))
    # Starts like the plain form's notice, so both read the same to a buyer (and a test).
    message = ngettext(
        "Added to your cart. It has %(num)d product.",
        "Added to your cart. It has %(num)d products.",
        count,
    )
    return jsonify(ok=True, message=message, cart_count=count)


@bp.post("/cart/update")
@buyer_required("create_orders", staff_permission="catalog_view")
def cart_update():
    """Change a cart line's quantity; 0 removes it."""
    form = QuantityForm()
    ok, status = _set_quantity(form, add=False)
    if ok:
        flash(_("Your cart is updated."))
        return redirect(url_for("portal.cart"))
    return _cart_page(errors={form.product_id.data: form.quantity.errors}), status


def _cart_page(*, errors=None, form=None, duplicate=None):
    page = checkout_page(db.session, g.tenant, contact=g.contact, customer=g.customer, now=utcnow())
    form = form or CheckoutForm(formdata=None)
    payments = checkout_options(db.session, g.tenant, g.customer)
    form.payment.choices = [c for c in form.payment.choices if c[0] in payments]
    if form.payment.data not in payments:
        form.payment.data = payments[0]
    form.location_id.choices = [(str(loc.id), loc.name) for loc in page.locations]
    form.delivery_date.choices = [(d.isoformat(), d.isoformat()) for d in page.calendar.orderable]
    if form.delivery_date.data is None and page.calendar.earliest:
        form.delivery_date.data = page.calendar.earliest.isoformat()
    form.fresh_key()
    return render_template(
        "portal/cart.html",
        page=page,
        form=form,
        errors=errors or {},
        duplicate=duplicate,
        payments=payments,
    )


@bp.get("/cart")
@buyer_required("create_orders", staff_permission="catalog_view")
def cart():
    """The cart, priced at today's prices, with checkout below it."""
    return _cart_page()


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError as exc:
        raise ValidationFailed(_("Choose a delivery date."), field="delivery_date") from exc


@bp.post("/checkout")
@buyer_required("create_orders", staff_permission="catalog_view")
def place():
    """Place the cart as an order; a double submit lands on the same order."""
    form = CheckoutForm()
    if not form.validate_on_submit():
        return _cart_page(form=form), 422 if form.errors else 400
    try:
        placed = place_from_cart(
            db.session,
            g.tenant,
            contact=g.contact,
            customer=g.customer,
            payment=form.payment.data or "account",
            location_id=form.location_id.data,
            delivery_date=_parse_day(form.delivery_date.data),
            po_number=form.po_number.data or "",
            notes=form.notes.data or "",
            idempotency_key=form.idempotency_key.data or "",
            allow_second_order=bool(form.allow_second_order.data),
            success_url_for=paid_url,
            cancel_url_for=unpaid_url,
            now=utcnow(),
        )
        db.session.commit()
    except OpenOrderExists as exc:
        duplicate = (exc.order.id, exc.order.number, exc.order.version)
        db.session.rollback()
        form.delivery_date.errors = [exc.message]
        return _cart_page(form=form, duplicate=duplicate), exc.status_code
    except ValidationFailed as exc:
        db.session.rollback()
        if exc.field == "location":
            exc.field = "location_id"
        attach_error(form, exc)
        return _cart_page(form=form), exc.status_code
    except StripeUnavailable as exc:
        db.session.rollback()
        form.payment.errors = [refusal_message(exc)]
        return _cart_page(form=form), 503
    if placed.pay_url:
        return redirect(placed.pay_url, code=303)
    return _placed(placed)


def _placed(placement):
    order = placement.order
    if placement.created:
        flash(
            _(
                "Thank you! Order %(number)s is placed for %(day)s.",
                number=order.number,
                day=format_day(order.delivery_date),
            )
        )
    return redirect(url_for("portal.order_detail", order_id=order.id))


@bp.get("/orders")
@buyer_required("view_orders", staff_permission="orders_view")
def orders():
    """The orders this contact may see, filterable by status and delivery dates, newest
    delivery first. A date that does not parse is explained next to its field (400) and the
    list shows unfiltered by it."""
    status = request.args.get("status") or None
    try:
        page_number = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page_number = 1
    dates = OrdersFilterForm(request.args)
    valid = dates.validate()
    page = queries.contact_orders(
        db.session,
        g.contact,
        status=status if status in STATUSES else None,
        delivery_from=dates.delivery_from.data if valid else None,
        delivery_until=dates.delivery_until.data if valid else None,
        page=page_number,
    )
    return render_template(
        "portal/orders.html",
        page=page,
        statuses=STATUSES,
        status=status,
        dates=dates,
        filters={
            key: request.args[key]
            for key in ("status", "delivery_from", "delivery_until")
            if request.args.get(key)
        },
    ), (200 if valid else 400)


@bp.get("/orders/<order_id>")
@buyer_required("view_orders", staff_permission="orders_view")
def order_detail(order_id):
    """One order: lines with frozen prices, totals, delivery, references and its timeline."""
    order = found_or_404(queries.get_order_for_contact, g.contact, order_id)
    return _order_page(order)


def _order_page(order, *, message_form=None, rating_form=None, status=200):
    refusal = change_refusal(db.session, g.tenant, customer=g.customer, order=order, now=utcnow())
    rating = rating_for(db.session, order)
    card = order.payment_method == "card"
    return render_template(
        "portal/order.html",
        order=order,
        card_invoice=order_invoice(db.session, order) if card else None,
        can_pay_card=card and can_pay_online(g.tenant),
        confirm_form=ConfirmForm(),
        lines=queries.order_lines(db.session, order),
        location=queries.order_location(db.session, order),
        delivery=adjustments_of(db.session, [order.id]).get(order.id, []),
        timeline=order_timeline(db.session, order),
        kinds=KINDS,
        statuses=STATUSES,
        refusal=refusal,
        may_change=may("edit_orders") and refusal is None,
        form=OrderActionForm(formdata=None, version=order.version),
        message_form=message_form or MessageForm(formdata=None),
        rating=rating,
        rating_form=rating_form
        or RatingForm(
            formdata=None,
            score=str(rating.score) if rating else None,
            comment=rating.comment if rating else "",
        ),
        when=lambda value: format_date(value, g.tenant, with_time=True),
    ), status


@bp.route("/orders/<order_id>/edit", methods=["GET", "POST"])
@buyer_required("edit_orders", staff_permission="orders_view")
def order_edit(order_id):
    """Change an open order's quantities and delivery date before its cut-off (0 removes a
    line); the new date goes through the same calendar as checkout."""
    order = found_or_404(queries.get_order_for_contact, g.contact, order_id)
    lines = queries.order_lines(db.session, order)
    errors, date_errors, status = [], [], 200
    form = OrderActionForm(version=order.version) if request.method == "GET" else OrderActionForm()
    if request.method == "POST":
        if not form.validate_on_submit() or not (form.version.data or "").isdigit():
            abort(400)
        try:
            wanted = [
                (
                    line.product_id,
                    parse_quantity(request.form.get(f"qty-{line.product_id}"), g.tenant.locale),
                )
                for line in lines
            ]
            edit_order(
                db.session,
                g.tenant,
                actor=g.contact,
                order=order,
                expected_version=int(form.version.data),
                lines=[(pid, qty) for pid, qty in wanted if qty],
                delivery_date=(
                    _parse_day(request.form["delivery_date"])
                    if "delivery_date" in request.form
                    else None
                ),
                po_number=request.form.get("po_number", order.po_number),
                notes=request.form.get("notes", order.notes),
                now=utcnow(),
            )
            number = order.number
            db.session.commit()
        except (ValidationFailed, OrderConflict) as exc:
            db.session.rollback()
            if getattr(exc, "field", None) == "delivery_date":
                date_errors = [exc.message]
            else:
                errors = [exc.message]
            status = exc.status_code
            order = found_or_404(queries.get_order_for_contact, g.contact, order_id)
            lines = queries.order_lines(db.session, order)
        else:
            flash(_("Order %(number)s is saved.", number=number))
            return redirect(url_for("portal.order_detail", order_id=order_id))
    return render_template(
        "portal/order_edit.html",
        order=order,
        lines=lines,
        form=form,
        errors=errors,
        date_errors=date_errors,
        delivery_days=_edit_days(order, lines),
        posted=request.form if request.method == "POST" else {},
    ), status


def _edit_days(order, lines) -> list[date]:
    """The dates the order may move to: the calendar's orderable ones for its products, and the
    date it is on now (kept first so an unchanged form keeps it)."""
    calendar = delivery_calendar(
        db.session,
        g.tenant,
        customer=g.customer,
        product_ids=[line.product_id for line in lines],
        now=utcnow(),
    )
    return sorted({order.delivery_date, *calendar.orderable})


@bp.post("/orders/<order_id>/message")
@buyer_required("view_orders", staff_permission="orders_view")
def order_message(order_id):
    """Ask the bakery about an order (say, a change after its cut-off)."""
    order = found_or_404(queries.get_order_for_contact, g.contact, order_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _order_page(order, message_form=form, status=422)
    try:
        ask_bakery(
            db.session,
            g.tenant,
            contact=g.contact,
            order=order,
            message=form.message.data,
            now=utcnow(),
        )
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _order_page(order, message_form=form, status=exc.status_code)
    flash(
        _(
            "Your message is with %(bakery_name)s; it is on the order's timeline too.",
            bakery_name=g.tenant.name,
        )
    )
    return redirect(url_for("portal.order_detail", order_id=order_id))


@bp.post("/orders/<order_id>/reorder")
@buyer_required("create_orders", staff_permission="catalog_view")
def order_reorder(order_id):
    """Fill the cart with this order's products at today's prices, saying what changed."""
    if not OrderActionForm().validate_on_submit():
        abort(400)
    order = found_or_404(queries.get_order_for_contact, g.contact, order_id)
    result = reorder(
        db.session,
        g.tenant,
        contact=g.contact,
        customer=g.customer,
        order_id=order.id,
        now=utcnow(),
    )
    db.session.commit()
    flash(f"{result.added} products from order {order.number} are in your cart at today's prices.")
    for change in result.changes:
        flash(change, "error")
    return redirect(url_for("portal.cart"))


@bp.post("/orders/<order_id>/add-cart")
@buyer_required("edit_orders", staff_permission="orders_view")
def order_add_cart(order_id):
    """Add the cart to this open order (what checkout offers for a second order that day)."""
    found_or_404(queries.get_order_for_contact, g.contact, order_id)
    form = OrderActionForm()
    if not form.validate_on_submit() or not (form.version.data or "").isdigit():
        abort(400)
    try:
        order = add_cart_to_order(
            db.session,
            g.tenant,
            contact=g.contact,
            customer=g.customer,
            order_id=order_id,
            expected_version=int(form.version.data),
            now=utcnow(),
        )
        number = order.number
        db.session.commit()
    except (ValidationFailed, OrderConflict) as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("portal.cart"))
    flash(_("Your cart is added to order %(number)s.", number=number))
    return redirect(url_for("portal.order_detail", order_id=order_id))


@bp.post("/orders/<order_id>/cancel")
@buyer_required("edit_orders", staff_permission="orders_view")
def order_cancel(order_id):
    """Cancel an open order before its cut-off; a stale page is told who changed the order."""
    form = OrderActionForm()
    if not form.validate_on_submit():
        abort(400)
    order = found_or_404(queries.get_order_for_contact, g.contact, order_id)
    try:
        version = int(form.version.data or 0)
        cancel_order(
            db.session,
            g.tenant,
            actor=g.contact,
            order=order,
            expected_version=version,
            now=utcnow(),
        )
        db.session.commit()
    except (ValidationFailed, OrderConflict) as exc:
        db.session.rollback()
        flash(exc.message, "error")
    except ValueError:
        abort(400)
    else:
        flash(_("Order %(number)s is cancelled.", number=order.number))
    return redirect(url_for("portal.order_detail", order_id=order_id))
