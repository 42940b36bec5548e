"""The Plan page: the tiers side by side, what the bakery's includes, and "Request upgrade"."""

from flask import abort, g, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from config.edge import apply_change, found_or_404
from config.extensions import db
from config.forms import ConfirmForm
from config.money import format_money
from tenants import platform_admin as ops
from tenants.features import FEATURES, LIMITS
from tenants.plans import effective_plan
from tenants.platform_notices import request_upgrade


@bp.get("/plan")
@staff_required()
def plan():
    current = effective_plan(g.tenant)
    tiers = ops.list_plans(db.session)
    return render_template(
        "backoffice/plan.html",
        current=current,
        tiers=tiers,
        features=FEATURES,
        limits=LIMITS,
        price=lambda tier: format_money(tier.monthly_price_minor, g.tenant, tier.price_currency),
        may_request=current_user.can("settings"),
    )


@bp.post("/plan/request")
@staff_required("settings")
def plan_request():
    """Ask the operators for another tier; recorded, and mailed to them after commit."""
    ConfirmForm().validate_on_submit() or abort(400)
    tier = found_or_404(ops.get_plan, request.form.get("plan_id", ""))
    return apply_change(
        lambda: request_upgrade(db.session, g.tenant, actor=current_user, plan=tier),
        f"We asked the platform team to move {g.tenant.name} to {tier.name}. They will email "
        f"{current_user.email} once it is done.",
        url_for("backoffice.plan"),
    )
