"""Online payments: the bakery connects its own Stripe account (Connect onboarding), sees
its status and what Stripe still asks for, and can disconnect (confirmed first)."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_invoices import CheckoutPaymentForm
from admin.backoffice.views_plan import absolute_url
from billing import card_checkout, connect
from billing import stripe_gateway as gateway
from config.confirm import confirm_page, was_confirmed
from config.edge import apply_change, commit_change
from config.extensions import db
from config.forms import ConfirmForm, attach_error
from tenants.plans import has_feature

BASE = "backoffice/base.html"


@bp.get("/online-payments")
@staff_required("settings")
def online_payments():
    return _page(
        CheckoutPaymentForm(
            formdata=None, checkout_payment=card_checkout.bakery_choice(db.session, g.tenant)
        )
    )


def _page(checkout_form, status=200):
    return render_template(
        "backoffice/payments.html",
        tenant=g.tenant,
        stripe_on=gateway.is_on(),
        included=has_feature(g.tenant, "online_payments"),
        status=connect.STATUS_LABELS.get(g.tenant.stripe_account_status, "Not connected"),
        enabled=connect.payments_enabled(g.tenant),
        checkout_form=checkout_form,
    ), status


@bp.post("/online-payments/checkout")
@staff_required("settings")
def checkout_payment():
    """What the portal's checkout offers: on account, card now, or both."""
    form = CheckoutPaymentForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    _saved, refused = commit_change(
        lambda: card_checkout.set_checkout_payment(
            db.session, g.tenant, actor=current_user, choice=form.checkout_payment.data or ""
        )
    )
    if refused is not None:
        attach_error(form, refused)
        return _page(form, refused.status_code)
    flash("Checkout payment saved.")
    return redirect(url_for("backoffice.online_payments") + "#checkout-payment", code=303)


@bp.post("/online-payments/connect")
@staff_required("settings")
def payments_connect():
    """Create the bakery's connected account (first time) and go to Stripe's onboarding."""
    ConfirmForm().validate_on_submit() or abort(400)
    if not gateway.is_on():
        abort(404)
    url, error = commit_change(
        lambda: connect.start_onboarding(
            db.session,
            g.tenant,
            actor=current_user,
            refresh_url=absolute_url("backoffice.payments_refresh"),
            return_url=absolute_url("backoffice.payments_return"),
        )
    )
    if error is not None:
        flash(error.message, "error")
        return redirect(url_for("backoffice.online_payments"))
    return redirect(url, code=303)


@bp.get("/online-payments/refresh")
@staff_required("settings")
def payments_refresh():
    """Stripe's refresh URL (the onboarding link expired): show the page to start again."""
    flash("The Stripe link expired. Continue the set-up with the button below.")
    return redirect(url_for("backoffice.online_payments"))


@bp.get("/online-payments/return")
@staff_required("settings")
def payments_return():
    """Back from Stripe's onboarding: read the account's status now rather than wait for the
    webhook. A GET that writes, but only Stripe's own answer, so repeating it is harmless."""
    if gateway.is_on():
        _, error = commit_change(lambda: connect.refresh_account(db.session, g.tenant))
        if error is not None:
            flash(error.message, "error")
    return redirect(url_for("backoffice.online_payments"))


@bp.post("/online-payments/disconnect")
@staff_required("settings")
def payments_disconnect():
    ConfirmForm().validate_on_submit() or abort(400)
    if not was_confirmed():
        return confirm_page(
            BASE,
            question=f"Disconnect {g.tenant.stripe_account_id or 'the Stripe account'}?",
            details=[
                "Buyers can no longer pay invoices online; the pay buttons disappear. Invoices, "
                "payments already made and everything else stay as they are.",
                "Your account stays yours on Stripe. Connecting again sets up a new one.",
            ],
            button="Disconnect Stripe",
            cancel_url=url_for("backoffice.online_payments"),
            danger=True,
        )
    return apply_change(
        lambda: connect.disconnect(db.session, g.tenant, actor=current_user),
        "Stripe is disconnected: buyers no longer see pay buttons.",
        url_for("backoffice.online_payments"),
    )
