"""Buyers pay invoices online (`pay_invoices`): the review of the chosen invoices and their sum,
the hand-off to Stripe Checkout on the bakery's account, and the autopay page (save a card, opt
in or out, remove the card). Without online payments (no Stripe keys, a tier without
`online_payments`, no active connected account) these pages answer 404 and the invoice pages
show the bakery's bank details instead of pay buttons.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from billing.autopay import autopay_of, remove_card, set_enabled, start_card_setup
from billing.card_checkout import cancel_unpaid, check_payment, resume_payment
from billing.online_payments import can_pay_online, payable_invoices, start_checkout
from billing.stripe_gateway import StripeUnavailable
from config.clock import utcnow
from config.edge import apply_change, commit_change, found_or_404
from config.extensions import db
from config.formatting import format_day
from config.forms import ConfirmForm
from portal import bp
from portal.access import buyer_required
from tenants.errors import ValidationFailed


def refusal_message(refused) -> str:
    """What a buyer reads when starting a payment was refused: Stripe unreachable (and nothing
    charged), or the service's own reason."""
    if isinstance(refused, StripeUnavailable):
        return _("Stripe could not start the payment; nothing was charged. Try again in a minute.")
    return refused.message


def _require_online():
    if not can_pay_online(g.tenant, g.contact):
        abort(404)


def _chosen() -> list[str]:
    return request.values.getlist("invoice")


@bp.route("/invoices/pay", methods=["GET", "POST"])
@buyer_required("pay_invoices", staff_permission="invoices")
def pay_invoices():
    """GET: the chosen invoices and their sum; POST: off to Stripe Checkout for them."""
    _require_online()
    form = ConfirmForm()
    try:
        invoices = found_or_404(payable_invoices, g.contact, _chosen())
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return redirect(url_for("portal.invoices"))
    if request.method == "POST" and form.validate_on_submit():
        url, refused = commit_change(
            lambda: start_checkout(
                db.session,
                g.tenant,
                contact=g.contact,
                invoice_ids=[str(i.id) for i in invoices],
                success_url=url_for("portal.invoices", paid="1", _external=True),
                cancel_url=url_for("portal.invoices", _external=True),
                now=utcnow(),
            ),
            catch=(ValidationFailed, StripeUnavailable),
        )
        if refused is None:
            return redirect(url, code=303)
        flash(refusal_message(refused), "error")
    total = sum(i.balance_minor for i in invoices)
    return render_template("portal/pay_invoices.html", invoices=invoices, total=total, form=form), (
        400 if request.method == "POST" else 200
    )


@bp.get("/account/autopay")
@buyer_required("pay_invoices", staff_permission="invoices")
def autopay():
    """The saved card and whether invoices are charged on their due dates."""
    _require_online()
    if request.args.get("saved"):
        flash(_("Your card is being saved. It shows here as soon as Stripe confirms it."))
    return render_template(
        "portal/autopay.html", row=autopay_of(db.session, g.customer.id), form=ConfirmForm()
    )


@bp.post("/account/autopay/card")
@buyer_required("pay_invoices", staff_permission="invoices")
def autopay_card():
    """Off to Stripe Checkout (setup mode) to save a card on the bakery's account."""
    _require_online()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    url, refused = commit_change(
        lambda: start_card_setup(
            db.session,
            g.tenant,
            contact=g.contact,
            success_url=url_for("portal.autopay", saved="1", _external=True),
            cancel_url=url_for("portal.autopay", _external=True),
            now=utcnow(),
        ),
        catch=(ValidationFailed, StripeUnavailable),
    )
    if refused is not None:
        flash(refused.message, "error")
        return redirect(url_for("portal.autopay"))
    return redirect(url, code=303)


@bp.post("/account/autopay")
@buyer_required("pay_invoices", staff_permission="invoices")
def autopay_switch():
    """Opt in to or out of automatic payment."""
    _require_online()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    enabled = request.form.get("enabled") == "1"
    return apply_change(
        lambda: set_enabled(db.session, g.tenant, contact=g.contact, enabled=enabled),
        _("Invoices will be paid automatically on their due dates.")
        if enabled
        else _("Automatic payment is off."),
        url_for("portal.autopay"),
        catch=ValidationFailed,
    )


@bp.post("/account/autopay/remove")
@buyer_required("pay_invoices", staff_permission="invoices")
def autopay_remove():
    """Forget the saved card (automatic payment stops with it)."""
    _require_online()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return apply_change(
        lambda: remove_card(db.session, g.tenant, contact=g.contact),
        _("Your card was removed and automatic payment is off."),
        url_for("portal.autopay"),
        catch=(ValidationFailed, StripeUnavailable),
    )


# --- Card now at checkout: an order awaiting its card payment (billing.card_checkout) ---


def paid_url(order) -> str:
    """Where Stripe sends the buyer after paying for `order`."""
    return url_for("portal.order_paid", order_id=order.id, _external=True)


def unpaid_url(order) -> str:
    """Where Stripe sends the buyer who leaves Checkout: the order, with Pay now and Cancel."""
    return url_for("portal.order_detail", order_id=order.id, payment="left", _external=True)


@bp.post("/orders/<order_id>/pay")
@buyer_required("create_orders", staff_permission="orders_view")
def order_pay(order_id):
    """ "Pay now" on an order awaiting its card payment: back to (or a new) Stripe Checkout."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    paying, refused = commit_change(
        lambda: resume_payment(
            db.session,
            g.tenant,
            contact=g.contact,
            order_id=order_id,
            success_url_for=paid_url,
            cancel_url_for=unpaid_url,
            now=utcnow(),
        ),
        catch=(ValidationFailed, StripeUnavailable),
    )
    if refused is not None:
        flash(refusal_message(refused), "error")
    elif paying.pay_url:
        return redirect(paying.pay_url, code=303)
    return redirect(url_for("portal.order_detail", order_id=order_id))


@bp.get("/orders/<order_id>/paid")
@buyer_required("view_orders", staff_permission="orders_view")
def order_paid(order_id):
    """Stripe sends the buyer back here after paying: the payment is read from Stripe and
    applied at once (its webhook finds it done), so the order shows confirmed. Another
    customer's or bakery's order: the service's NotFound answers 404."""
    order, _refused = commit_change(
        lambda: check_payment(
            db.session, g.tenant, contact=g.contact, order_id=order_id, now=utcnow()
        ),
        catch=ValidationFailed,
    )
    if order.status == "awaiting_payment":
        flash(_("Thank you! Stripe is confirming your payment; the order shows it soon."))
    elif order.payment_method == "card" and order.status != "cancelled":
        flash(
            _(
                "Thank you! Your payment is received and order %(number)s is placed for %(day)s.",
                number=order.number,
                day=format_day(order.delivery_date),
            )
        )
    return redirect(url_for("portal.order_detail", order_id=order.id))


@bp.post("/orders/<order_id>/cancel-payment")
@buyer_required("create_orders", staff_permission="orders_view")
def order_cancel_payment(order_id):
    """Give up paying: the order is cancelled, nothing is charged, the cart stays as it was."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    order, refused = commit_change(
        lambda: cancel_unpaid(
            db.session, g.tenant, contact=g.contact, order_id=order_id, now=utcnow()
        ),
        catch=(ValidationFailed, StripeUnavailable),
    )
    if refused is not None:
        flash(
            _("Stripe could not be reached; nothing was changed. Try again in a minute.")
            if isinstance(refused, StripeUnavailable)
            else refused.message,
            "error",
        )
        return redirect(url_for("portal.order_detail", order_id=order_id))
    if order.status == "cancelled":
        flash(
            _(
                "Order %(number)s is cancelled; nothing was charged. Your cart is as it was.",
                number=order.number,
            )
        )
        return redirect(url_for("portal.cart"))
    flash(_("Your payment arrived meanwhile, so the order stands."))
    return redirect(url_for("portal.order_detail", order_id=order.id))
