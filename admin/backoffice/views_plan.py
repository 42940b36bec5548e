"""Plan and billing: the tiers side by side, the bakery's subscription (tier, trial end, next
payment, what it includes), and the way to another tier: Stripe Checkout (or the customer
portal for a live subscription) when Stripe is on and the tier has a price, otherwise
"Request upgrade" to the operators."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from billing import plan_billing
from billing import stripe_gateway as gateway
from config.edge import apply_change, commit_change, found_or_404
from config.extensions import db
from config.forms import ConfirmForm
from config.money import format_money
from tenants import platform_admin as ops
from tenants.features import FEATURES, LIMITS
from tenants.plans import PAST_DUE_GRACE, effective_plan


def absolute_url(endpoint: str, **values) -> str:
    """Where Stripe sends the owner back to: built on BASE_URL, never the request's Host."""
    return current_app.config["SETTINGS"].base_url + url_for(endpoint, **values)


@bp.get("/plan")
@staff_required()
def plan():
    current = effective_plan(g.tenant)
    tiers = ops.list_plans(db.session)
    if request.args.get("checkout") == "done":
        flash("Thank you. Your plan changes here as soon as Stripe confirms the payment.")
        return redirect(url_for("backoffice.plan"))
    return render_template(
        "backoffice/plan.html",
        current=current,
        tenant=g.tenant,
        tiers=tiers,
        features=FEATURES,
        limits=LIMITS,
        price=lambda tier: format_money(tier.monthly_price_minor, g.tenant, tier.price_currency),
        may_request=current_user.can("settings"),
        stripe_on=gateway.is_on(),
        live_subscription=g.tenant.stripe_subscription_status in plan_billing.LIVE,
        grace_ends=(g.tenant.past_due_since + PAST_DUE_GRACE) if g.tenant.past_due_since else None,
    )


@bp.post("/plan/request")
@staff_required("settings")
def plan_request():
    """Ask the operators for another tier; recorded, and mailed to them after commit."""
    from tenants.platform_notices import request_upgrade

    ConfirmForm().validate_on_submit() or abort(400)
    tier = found_or_404(ops.get_plan, request.form.get("plan_id", ""))
    return apply_change(
        lambda: request_upgrade(db.session, g.tenant, actor=current_user, plan=tier),
        f"We asked the platform team to move {g.tenant.name} to {tier.name}. They will email "
        f"{current_user.email} once it is done.",
        url_for("backoffice.plan"),
    )


def _to_stripe(action):
    """Run `action` (which returns a Stripe URL), commit what it saved, and send the owner
    there; a refusal comes back to the plan page as a message."""
    url, error = commit_change(action)
    if error is not None:
        flash(error.message, "error")
        return redirect(url_for("backoffice.plan"))
    return redirect(url, code=303)


@bp.post("/plan/checkout")
@staff_required("settings")
def plan_checkout():
    """Pay for a tier on Stripe (Checkout, or the portal's confirm page to switch)."""
    ConfirmForm().validate_on_submit() or abort(400)
    if not gateway.is_on():
        abort(404)
    tier = found_or_404(ops.get_plan, request.form.get("plan_id", ""))
    return _to_stripe(
        lambda: plan_billing.start_plan_change(
            db.session,
            g.tenant,
            actor=current_user,
            plan=tier,
            success_url=absolute_url("backoffice.plan", checkout="done"),
            cancel_url=absolute_url("backoffice.plan"),
        )
    )


@bp.post("/plan/portal")
@staff_required("settings")
def plan_portal():
    """Stripe's customer portal: card, invoices, cancelling."""
    ConfirmForm().validate_on_submit() or abort(400)
    if not gateway.is_on():
        abort(404)
    return _to_stripe(
        lambda: plan_billing.open_portal(
            db.session, g.tenant, actor=current_user, return_url=absolute_url("backoffice.plan")
        )
    )
