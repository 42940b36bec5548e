"""The buyer's standing orders: the list with the next six weeks of deliveries, set one up,
change it, end it; skip, restore or change one week before its cut-off; pause a range. And the
preview email's "skip this delivery" link, which works without signing in.

Thin views over `tenants.orders.standing*`. A standing order outside the contact's access level,
another customer's or another bakery's answers 404.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from config.clock import utcnow
from config.confirm import confirm_page
from config.edge import commit_change, found_or_404
from config.extensions import db
from config.forms import ConfirmForm, attach_error
from config.signin import count_bad_token, token_attempt_allowed
from portal import bp
from portal.access import buyer_required, may
from portal.forms_standing import PauseForm, StandingOrderForm, every_choices
from tenants.customers.locations import list_locations
from tenants.errors import DomainError
from tenants.orders import standing_weeks as weeks
from tenants.orders.desk import desk_products
from tenants.orders.standing import coming_occurrences
from tenants.orders.standing_check import day_text
from tenants.orders.standing_edit import (
    create_standing_order,
    end_standing_order,
    form_lines,
    get_standing_order,
    lines_of,
    standing_orders_of,
    update_standing_order,
    visible_criteria,
)
from tenants.orders.standing_generate import needs_attention
from tenants.orders.standing_skip import SkipRefused, read_skip_link, use_skip_link
from tenants.plans import has_feature


def standing_available() -> bool:
    """Whether the signed-in buyer's account keeps standing orders (tier and account)."""
    return bool(
        g.get("customer") is not None
        and g.customer.standing_orders_allowed
        and has_feature(g.tenant, "standing_orders")
    )


@bp.app_context_processor
def _standing_helpers():
    return {"portal_standing": standing_available}


def _gate() -> None:
    if not standing_available():
        abort(404)


def _mine(standing_order_id):
    return found_or_404(
        get_standing_order, standing_order_id, customer=g.customer, contact=g.contact
    )


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(404)


@bp.get("/standing")
@buyer_required("view_orders", staff_permission="orders_view")
def standing_list():
    """The contact's standing orders and their deliveries over the next six weeks."""
    _gate()
    orders = standing_orders_of(db.session, customer_id=g.customer.id, contact=g.contact)
    now = utcnow()
    coming = coming_occurrences(
        db.session, g.tenant, now=now, customer_id=g.customer.id, where=visible_criteria(g.contact)
    )
    return render_template(
        "portal/standing_list.html",
        orders=orders,
        coming=coming,
        names={o.id: _label(o) for o in orders},
        attention=needs_attention(db.session, customer_id=g.customer.id, contact=g.contact),
        day_text=lambda d: day_text(d, g.tenant),
        form=ConfirmForm(formdata=None),
    )


def _label(order) -> str:
    weekday = format_date(order.starts_on, "EEEE", locale=g.tenant.locale)
    return order.name or _("Every %(weekday)s", weekday=weekday)


def _form(**kwargs) -> StandingOrderForm:
    form = StandingOrderForm(**kwargs)
    form.location_id.choices = [(str(loc.id), loc.name) for loc in _locations()]
    form.every_weeks.choices = every_choices(_)
    return form


def _template_fields(form) -> dict:
    """What the set-up and change forms both hand the standing-order service."""
    return {
        "location_id": form.location_id.data,
        "starts_on": form.starts_on.data,
        "every_weeks": form.every_weeks.data,
        "ends_on": form.ends_on.data,
        "name": form.name.data,
        "notes": form.notes.data,
        "now": utcnow(),
    }


def _form_page(form, *, order=None, errors=None, status=200, quantities=None):
    return render_template(
        "portal/standing_form.html",
        form=form,
        order=order,
        products=desk_products(db.session, g.customer),
        quantities=quantities or {},
        errors=errors or {},
    ), status


def _locations():
    from tenants.customers.permissions import visible_location_filter

    scope = visible_location_filter(g.contact)
    return [
        loc
        for loc in list_locations(db.session, g.customer)
        if not scope.nothing and scope.location_id in (None, loc.id)
    ]


def _posted_quantities() -> dict[str, str]:
    return {k[4:]: v for k, v in request.form.items() if k.startswith("qty-")}


def _save(form, action):
    lines, errors = form_lines(request.form.items(), g.tenant.locale)
    if errors:
        return None, errors, 422
    result, refused = commit_change(lambda: action(lines))
    if refused is not None:
        if refused.field == "location":
            refused.field = "location_id"
        attach_error(form, refused)
        return None, {}, refused.status_code
    return result, {}, 200


@bp.route("/standing/new", methods=["GET", "POST"])
@buyer_required("create_orders", staff_permission="orders_view")
def standing_new():
    """Set up a standing order: the place, the first delivery, how often, the products."""
    _gate()
    form = _form(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        order, errors, status = _save(
            form,
            lambda lines: create_standing_order(
                db.session,
                g.tenant,
                actor=g.contact,
                customer=g.customer,
                lines=lines,
                **_template_fields(form),
            ),
        )
        if order is not None:
            flash(_("Your standing order is set up."))
            return redirect(url_for("portal.standing_detail", standing_order_id=order.id))
        return _form_page(form, errors=errors, status=status, quantities=_posted_quantities())
    status = 422 if form.errors else 200
    return _form_page(form, status=status, quantities=_posted_quantities())


@bp.get("/standing/<standing_order_id>")
@buyer_required("view_orders", staff_permission="orders_view")
def standing_detail(standing_order_id):
    """One standing order: its products, its next six weeks with their actions, its pauses."""
    _gate()
    order = _mine(standing_order_id)
    now = utcnow()
    return render_template(
        "portal/standing_detail.html",
        order=order,
        lines=lines_of(db.session, [order.id]).get(order.id, []),
        products={p.id: p for p in desk_products(db.session, g.customer)},
        coming=coming_occurrences(db.session, g.tenant, now=now, orders=[order]),
        pauses=weeks.pauses_of(db.session, order.id, from_day=now.date()),
        location=next((loc for loc in _locations() if loc.id == order.location_id), None),
        day_text=lambda d: day_text(d, g.tenant),
        may_change=may("create_orders") and not _ended(order, now),
        form=ConfirmForm(formdata=None),
        pause_form=PauseForm(formdata=None),
    )


def _ended(order, now) -> bool:
    return order.ends_on is not None and order.ends_on < now.date()


@bp.route("/standing/<standing_order_id>/edit", methods=["GET", "POST"])
@buyer_required("create_orders", staff_permission="orders_view")
def standing_edit(standing_order_id):
    """Change the standing order from its next open delivery on."""
    _gate()
    order = _mine(standing_order_id)
    if request.method == "GET":
        form = _form(
            formdata=None,
            obj=order,
            location_id=str(order.location_id),
            every_weeks=str(order.every_weeks),
        )
        current = {
            str(line.product_id): str(line.quantity)
            for line in lines_of(db.session, [order.id]).get(order.id, [])
        }
        return _form_page(form, order=order, quantities=current)
    form = _form()
    if form.validate_on_submit():
        saved, errors, status = _save(
            form,
            lambda lines: update_standing_order(
                db.session,
                g.tenant,
                actor=g.contact,
                customer=g.customer,
                standing_order=order,
                lines=lines,
                **_template_fields(form),
            ),
        )
        if saved is not None:
            flash(_("Your standing order is saved."))
            return redirect(url_for("portal.standing_detail", standing_order_id=order.id))
        return _form_page(
            form, order=order, errors=errors, status=status, quantities=_posted_quantities()
        )
    return _form_page(form, order=order, status=422, quantities=_posted_quantities())


@bp.route("/standing/<standing_order_id>/end", methods=["GET", "POST"])
@buyer_required("create_orders", staff_permission="orders_view")
def standing_end(standing_order_id):
    """End the standing order (a confirm step first)."""
    _gate()
    order = _mine(standing_order_id)
    back = url_for("portal.standing_detail", standing_order_id=order.id)
    if request.method == "POST" and ConfirmForm().validate_on_submit():
        _done, refused = commit_change(
            lambda: end_standing_order(
                db.session,
                g.tenant,
                actor=g.contact,
                customer=g.customer,
                standing_order=order,
                now=utcnow(),
            )
        )
        flash(refused.message if refused else _("The standing order has ended."))
        return redirect(back)
    return confirm_page(
        "portal/base.html",
        question=_("End this standing order?"),
        details=[_("No more deliveries will be placed from it. Orders already placed stay.")],
        button=_("End standing order"),
        cancel_url=back,
        danger=True,
    )


def _week_action(standing_order_id, day, action, message):
    _gate()
    order = _mine(standing_order_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    nominal = _day(day)
    _done, refused = commit_change(
        lambda: action(
            db.session,
            g.tenant,
            actor=g.contact,
            customer=g.customer,
            standing_order=order,
            nominal=nominal,
            now=utcnow(),
        )
    )
    flash(refused.message if refused else message % {"day": day_text(nominal, g.tenant)})
    return redirect(
        request.form.get("back") or url_for("portal.standing_detail", standing_order_id=order.id)
    )


@bp.post("/standing/<standing_order_id>/weeks/<day>/skip")
@buyer_required("create_orders", staff_permission="orders_view")
def standing_skip_week(standing_order_id, day):
    """Skip one delivery before its cut-off."""
    return _week_action(standing_order_id, day, weeks.skip_week, _("Skipped %(day)s."))


@bp.post("/standing/<standing_order_id>/weeks/<day>/restore")
@buyer_required("create_orders", staff_permission="orders_view")
def standing_restore_week(standing_order_id, day):
    """Undo a skip before the cut-off."""
    return _week_action(
        standing_order_id, day, weeks.restore_week, _("%(day)s will be delivered again.")
    )


@bp.route("/standing/<standing_order_id>/weeks/<day>", methods=["GET", "POST"])
@buyer_required("create_orders", staff_permission="orders_view")
def standing_week(standing_order_id, day):
    """Change the products of one delivery only."""
    _gate()
    order = _mine(standing_order_id)
    nominal = _day(day)
    occ = found_or_404(weeks.occurrence_of, g.tenant, order, nominal, now=utcnow())
    form, errors, status = ConfirmForm(), {}, 200
    if request.method == "POST" and form.validate_on_submit():
        lines, errors = form_lines(request.form.items(), g.tenant.locale)
        if not errors:
            _done, refused = commit_change(
                lambda: weeks.set_week_lines(
                    db.session,
                    g.tenant,
                    actor=g.contact,
                    customer=g.customer,
                    standing_order=order,
                    nominal=nominal,
                    lines=lines,
                    now=utcnow(),
                )
            )
            if refused is None:
                flash(_("Saved for %(day)s only.", day=day_text(nominal, g.tenant)))
                return redirect(url_for("portal.standing_detail", standing_order_id=order.id))
            errors = {"": refused.message}
        status = 422
    quantities = _posted_quantities() or {str(pid): str(qty) for pid, qty in occ.lines}
    return render_template(
        "portal/standing_week.html",
        order=order,
        occ=occ,
        form=form,
        products=desk_products(db.session, g.customer),
        quantities=quantities,
        errors=errors,
        day_text=lambda d: day_text(d, g.tenant),
    ), status


@bp.post("/standing/<standing_order_id>/pause")
@buyer_required("create_orders", staff_permission="orders_view")
def standing_pause(standing_order_id):
    """Pause the standing order for a range of dates."""
    _gate()
    order = _mine(standing_order_id)
    form = PauseForm()
    back = url_for("portal.standing_detail", standing_order_id=order.id)
    if not form.validate_on_submit():
        flash(_("Choose the first and last day of the pause."))
        return redirect(back)
    _done, refused = commit_change(
        lambda: weeks.pause(
            db.session,
            g.tenant,
            actor=g.contact,
            customer=g.customer,
            standing_order=order,
            first_day=form.first_day.data,
            last_day=form.last_day.data,
            now=utcnow(),
        )
    )
    flash(refused.message if refused else _("Paused."))
    return redirect(back)


@bp.post("/standing/<standing_order_id>/pauses/<pause_id>/remove")
@buyer_required("create_orders", staff_permission="orders_view")
def standing_unpause(standing_order_id, pause_id):
    """End a pause early."""
    _gate()
    order = _mine(standing_order_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _done, refused = commit_change(
        lambda: weeks.remove_pause(
            db.session,
            g.tenant,
            actor=g.contact,
            customer=g.customer,
            standing_order=order,
            pause_id=pause_id,
            now=utcnow(),
        )
    )
    if refused is not None and refused.status_code == 404:
        abort(404)
    flash(refused.message if refused else _("The pause is removed."))
    return redirect(url_for("portal.standing_detail", standing_order_id=order.id))


@bp.route("/standing/skip/<occurrence_id>/<contact_id>/<token>", methods=["GET", "POST"])
def standing_skip_link(occurrence_id, contact_id, token):
    """The preview email's skip link: GET asks "Skip Tuesday 9 Dec?", POST skips once."""
    form = ConfirmForm()
    now = utcnow()
    args = dict(occurrence_id=occurrence_id, contact_id=contact_id, token=token, now=now)
    if request.method == "POST" and form.validate_on_submit():
        if not token_attempt_allowed("buyer-token", str(g.tenant.id), token):
            abort(429)
        link, refused = commit_change(
            lambda: use_skip_link(db.session, g.tenant, **args), catch=DomainError
        )
        if refused is not None:
            state = refused.state if isinstance(refused, SkipRefused) else "refused"
            if state == "invalid":
                count_bad_token("buyer-token", str(g.tenant.id), token)
            link = read_skip_link(db.session, g.tenant, **args)
            return _skip_page(link, form, state=state, message=refused.message)
        return _skip_page(link, form, state="done")
    return _skip_page(read_skip_link(db.session, g.tenant, **args), form)


def _skip_page(link, form, *, state=None, message=""):
    state = state or link.state
    status = {"invalid": 404, "expired": 410, "too_late": 409, "refused": 403}.get(state, 200)
    occ = link.occurrence
    return render_template(
        "portal/standing_skip.html",
        state=state,
        link=link,
        occ=occ,
        day=day_text(occ.delivery_date or occ.nominal_date, g.tenant) if occ else "",
        form=form,
        message=message,
    ), status
