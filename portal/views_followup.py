"""The buyer's follow-up pages: the weekly reminder's sign-in link (a "Continue" page that, on
POST, signs in and fills the cart with the last order), "tell me when it's back", and rating a
delivered order. Thin views over `tenants.orders.reminders/stock_alerts/ratings`.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from config.clock import utcnow
from config.edge import commit_change, found_or_404
from config.extensions import db
from config.forms import ConfirmForm, attach_error
from config.signin import start_session
from portal import bp
from portal.access import buyer_required
from portal.forms_followup import RatingForm, StockRequestForm
from tenants.errors import NotFound, ValidationFailed
from tenants.orders import queries
from tenants.orders.reminders import (
    coming_standing,
    prefill_cart,
    reminder_link_contact,
    use_reminder_link,
)
from tenants.orders.stock_alerts import away_products, set_request

# The services' refusals a buyer can meet here, in the buyer's language (the services speak
# English to every caller; the portal translates what it shows).
REFUSALS = {
    "Choose 1 to 5 stars.": _l("Choose 1 to 5 stars."),
    "You can rate an order once it is delivered.": _l(
        "You can rate an order once it is delivered."
    ),
    "Keep the comment under 2000 characters.": _l("Keep the comment under 2000 characters."),
    "That product can be ordered now.": _l("That product can be ordered now."),
}


def _translated(exc: ValidationFailed) -> ValidationFailed:
    for problem in [exc, *getattr(exc, "problems", [])]:
        problem.message = str(REFUSALS.get(problem.message, problem.message))
    return exc


class _LinkUnusable(ValidationFailed):
    """A reminder link that is unknown, used or expired (rolled back, shown as 410)."""


def _use(token: str):
    contact = use_reminder_link(db.session, g.tenant, token=token, now=utcnow())
    if contact is None:
        raise _LinkUnusable(_("This link has expired or was already used."))
    return contact


@bp.route("/reminder/<token>", methods=["GET", "POST"])
def reminder_link(token: str):
    """GET: a "Continue" page (mail scanners pre-fetch links). POST: use the link once, sign
    in, put the last order in the cart at today's prices, and open the cart."""
    form = ConfirmForm()
    if form.validate_on_submit():
        contact, refused = commit_change(lambda: _use(token), catch=_LinkUnusable)
        if refused is not None:
            return render_template("portal/link_invalid.html", what="sign-in link"), 410
        start_session(contact)
        result = prefill_cart(
            db.session, g.tenant, contact=contact, customer=contact.customer, now=utcnow()
        )
        db.session.commit()
        if result.standing_url:
            return redirect(result.standing_url)
        if result.order_number:
            flash(
                _(
                    "Your last order, number %(number)s, is in your cart at today's prices.",
                    number=result.order_number,
                )
            )
        for change in result.changes:
            flash(change, "error")
        return redirect(url_for("portal.cart"))
    contact = reminder_link_contact(db.session, token, now=utcnow())
    if contact is None and g.contact is not None and g.viewing_as is None:
        # Already used by this browser (a second tap on the email): the cart is where it led.
        return redirect(url_for("portal.cart"))
    if contact is None:
        return render_template("portal/link_invalid.html", what="sign-in link"), 410
    standing = coming_standing(db.session, g.tenant, contact.customer, now=utcnow()) is not None
    return render_template(
        "portal/reminder_continue.html", form=form, contact=contact, standing=standing
    )


@bp.get("/back-in-stock")
@buyer_required("view_orders", staff_permission="catalog_view")
def back_in_stock():
    """Products the customer cannot order now, each with "Notify me"."""
    return _away_page()


def _away_page(errors=None, status=200):
    items = away_products(
        db.session, g.tenant, contact=g.contact, customer=g.customer, now=utcnow()
    )
    return render_template(
        "portal/back_in_stock.html", items=items, form=StockRequestForm(), errors=errors or {}
    ), status


@bp.post("/back-in-stock/<product_id>")
@buyer_required("view_orders", staff_permission="catalog_view")
def back_in_stock_set(product_id):
    """Ask (or stop asking) to be emailed when this product comes back."""
    form = StockRequestForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = form.wanted.data == "1"
    try:
        set_request(
            db.session,
            g.tenant,
            contact=g.contact,
            customer=g.customer,
            product_id=product_id,
            wanted=wanted,
            now=utcnow(),
        )
        db.session.commit()
    except NotFound:
        db.session.rollback()
        abort(404)
    except ValidationFailed as exc:
        db.session.rollback()
        return _away_page(errors={product_id: _translated(exc).message}, status=exc.status_code)
    flash(_("We'll email you when it's back.") if wanted else _("You won't be emailed about it."))
    return redirect(url_for("portal.back_in_stock"))


@bp.post("/orders/<order_id>/rating")
@buyer_required("view_orders", staff_permission="orders_view")
def order_rate(order_id):
    """Rate a delivered order 1 to 5 with an optional comment."""
    from portal.views_orders import _order_page
    from tenants.orders.ratings import rate_order

    order = found_or_404(queries.get_order_for_contact, g.contact, order_id)
    form = RatingForm()
    if not form.validate_on_submit():
        return _order_page(order, rating_form=form, status=422 if form.errors else 400)
    _rated, refused = commit_change(
        lambda: rate_order(
            db.session,
            g.tenant,
            contact=g.contact,
            customer=g.customer,
            order_id=order.id,
            score=form.score.data,
            comment=form.comment.data or "",
            now=utcnow(),
        ),
        catch=ValidationFailed,
    )
    if refused is not None:
        attach_error(form, _translated(refused))
        return _order_page(order, rating_form=form, status=refused.status_code)
    flash(_("Thank you for your rating."))
    return redirect(url_for("portal.order_detail", order_id=order.id) + "#rating")
