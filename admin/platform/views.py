"""Operators: sign in, bakeries (tier, override, suspension), tiers, the audit log."""

import uuid
from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from admin.forms import (
    AuditFilterForm,
    ChangeTierForm,
    OverrideForm,
    PlanForm,
    SearchForm,
    SuspendForm,
)
from admin.platform import bp, operator_required
from config.confirm import confirm_page, was_confirmed
from config.edge import apply_change, found_or_404, redirect_after, submit_form
from config.extensions import db
from config.forms import ConfirmForm, SignInForm
from config.signin import (
    active_session_rows,
    end_session,
    end_sessions_everywhere,
    password_sign_in,
)
from tenants import platform_admin as ops
from tenants.audit_log import ACTIONS as AUDIT_ACTIONS
from tenants.audit_log import audit_lines
from tenants.errors import ValidationFailed
from tenants.features import FEATURES, LIMITS
from tenants.operators import authenticate_operator

# The layout the shared confirm step (config.confirm) is shown in on console pages.
BASE = "platform/base.html"


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = SignInForm()
    response, status = password_sign_in(
        form,
        realm="operator",
        scope="platform",
        authenticate=lambda email, password: authenticate_operator(
            db.session, email=email, password=password
        ),
        home=url_for("platform.bakeries"),
        within="/platform/",
        too_many="Too many failed sign-ins. Wait 15 minutes and try again.",
        no_match="That email and password don't match an operator.",
    )
    if response is not None:
        return response
    return render_template("platform/login.html", form=form), status


@bp.post("/logout")
def logout():
    ConfirmForm().validate_on_submit() or abort(400)
    end_session()
    return redirect(url_for("platform.login"))


@bp.get("/sessions")
@operator_required
def sessions():
    """Where this operator is signed in, and a way to sign out everywhere."""
    return render_template("platform/sessions.html", rows=active_session_rows(current_user))


@bp.post("/sessions/end-all")
@operator_required
def sessions_end_all():
    """Sign out on every device, this one included."""
    ConfirmForm().validate_on_submit() or abort(400)
    end_sessions_everywhere(current_user._get_current_object())
    flash("You're signed out everywhere.")
    return redirect(url_for("platform.login"))


@bp.get("/")
@operator_required
def bakeries():
    search = SearchForm(request.args)
    rows = ops.list_bakeries(db.session, search=search.q.data or "")
    return render_template("platform/bakeries.html", rows=rows, search=search, limits=LIMITS)


def _plan_choices():
    return [(str(p.id), f"{p.name} ({p.code})") for p in ops.list_plans(db.session)]


@bp.get("/bakeries/<tenant_id>")
@operator_required
def bakery(tenant_id):
    tenant = found_or_404(ops.get_bakery, tenant_id)
    tier_form = ChangeTierForm(plan_id=str(tenant.plan_id))
    tier_form.plan_id.choices = _plan_choices()
    override_form = OverrideForm(prefix="override", plan_id=str(tenant.override_plan_id or ""))
    override_form.plan_id.choices = [("", "No override")] + _plan_choices()
    row = ops.bakery_row(db.session, tenant)
    return render_template(
        "platform/bakery.html",
        row=row,
        tenant=tenant,
        tier_form=tier_form,
        override_form=override_form,
        confirm=ConfirmForm(),
        lines=audit_lines(db.session, tenant_id=tenant.id, limit=50),
        limits=LIMITS,
    )


@bp.post("/bakeries/<tenant_id>/tier")
@operator_required
def change_tier(tenant_id):
    """Move a bakery to another tier; a move that takes anything away is confirmed first."""
    tenant = found_or_404(ops.get_bakery, tenant_id)
    form = ChangeTierForm()
    form.plan_id.choices = _plan_choices()
    if not form.validate_on_submit():
        abort(400)
    plan = ops.get_plan(db.session, form.plan_id.data)
    lost = ops.downgrade_losses(tenant.plan, plan)
    if lost and not was_confirmed():
        return confirm_page(
            BASE,
            question=f"Move {tenant.name} from {tenant.plan.name} to {plan.name}?",
            details=[
                f"{tenant.name} loses: {'; '.join(lost)}.",
                "Nothing is deleted: what the tier no longer includes is hidden or frozen, "
                "and the bakery's owner is told by email.",
            ],
            button=f"Move to {plan.name}",
            cancel_url=url_for("platform.bakery", tenant_id=tenant.id),
            hidden={"plan_id": str(plan.id)},
        )
    ops.change_tier(db.session, tenant, actor=current_user, plan=plan)
    db.session.commit()
    flash(f"{tenant.name} is now on {plan.name}.")
    return redirect(url_for("platform.bakery", tenant_id=tenant.id))


@bp.post("/bakeries/<tenant_id>/override")
@operator_required
def override(tenant_id):
    tenant = found_or_404(ops.get_bakery, tenant_id)
    form = OverrideForm(prefix="override")
    form.plan_id.choices = [("", "No override")] + _plan_choices()
    if not form.validate_on_submit():
        flash("Give a valid date and time for the override's end.", "error")
        return redirect(url_for("platform.bakery", tenant_id=tenant.id))
    plan = ops.get_plan(db.session, form.plan_id.data) if form.plan_id.data else None
    expires = form.expires_at.data.replace(tzinfo=UTC) if form.expires_at.data else None
    return apply_change(
        lambda: ops.set_override(
            db.session, tenant, actor=current_user, plan=plan, expires_at=expires
        ),
        "Override saved." if plan else "Override removed.",
        url_for("platform.bakery", tenant_id=tenant.id),
        catch=ValidationFailed,
    )


@bp.route("/bakeries/<tenant_id>/suspend", methods=["GET", "POST"])
@operator_required
def suspend(tenant_id):
    """Suspend a bakery, from the confirm step that asks why."""
    tenant = found_or_404(ops.get_bakery, tenant_id)
    form = SuspendForm()
    if request.method == "GET" or not form.validate_on_submit():
        return confirm_page(
            BASE,
            question=f"Suspend {tenant.name}?",
            details=[
                f"{tenant.name}'s back office and wholesale portal show a 'suspended' page and "
                "its mail is held until you reactivate it. Nothing is deleted; its owner is "
                "told by email."
            ],
            button="Suspend bakery",
            cancel_url=url_for("platform.bakery", tenant_id=tenant.id),
            form=form,
            fields=[form.reason],
            status=200 if request.method == "GET" else 422,
        )
    ops.suspend(db.session, tenant, actor=current_user, reason=form.reason.data)
    db.session.commit()
    flash(f"{tenant.name} is suspended.")
    return redirect(url_for("platform.bakery", tenant_id=tenant.id))


@bp.post("/bakeries/<tenant_id>/reactivate")
@operator_required
def reactivate(tenant_id):
    tenant = found_or_404(ops.get_bakery, tenant_id)
    ConfirmForm().validate_on_submit() or abort(400)
    ops.reactivate(db.session, tenant, actor=current_user)
    db.session.commit()
    flash(f"{tenant.name} is active again.")
    return redirect(url_for("platform.bakery", tenant_id=tenant.id))


@bp.get("/tiers")
@operator_required
def plans():
    return render_template(
        "platform/plans.html", plans=ops.list_plans(db.session), features=FEATURES, limits=LIMITS
    )


@bp.route("/tiers/new", methods=["GET", "POST"])
@operator_required
def new_plan():
    return _edit_plan(None)


@bp.route("/tiers/<plan_id>", methods=["GET", "POST"])
@operator_required
def edit_plan(plan_id):
    return _edit_plan(found_or_404(ops.get_plan, plan_id))


def _edit_plan(plan):
    form = PlanForm(obj=plan)
    if plan is not None and request.method == "GET":
        form.monthly_price.data = Decimal(plan.monthly_price_minor) / 100

    def save():
        minor = int((form.monthly_price.data * 100).quantize(Decimal(1), ROUND_HALF_UP))
        return ops.save_plan(
            db.session,
            actor=current_user,
            plan=plan,
            code=form.code.data,
            name=form.name.data,
            monthly_price_minor=minor,
            stripe_price_id=form.stripe_price_id.data or "",
            features=form.features.data,
            limits={name: getattr(form, f"max_{name}").data for name in LIMITS},
        )

    response, status = submit_form(
        form,
        save,
        redirect_after(lambda saved: f"Tier {saved.name} saved.", url_for("platform.plans")),
    )
    if response is not None:
        return response
    return render_template("platform/plan_form.html", form=form, plan=plan), status


@bp.get("/audit")
@operator_required
def audit_log():
    """The audit log as sentences, filtered by bakery, action and date."""
    form = AuditFilterForm(request.args)
    form.tenant_id.choices = [("", "All bakeries")] + [
        (str(row.tenant.id), row.tenant.name) for row in ops.list_bakeries(db.session)
    ]
    form.validate()
    known = {value for value, _ in form.tenant_id.choices if value}
    chosen = form.tenant_id.data if form.tenant_id.data in known else None
    lines = audit_lines(
        db.session,
        tenant_id=uuid.UUID(chosen) if chosen else None,
        action=form.action.data if form.action.data in AUDIT_ACTIONS else None,
        on_or_after=form.on_or_after.data if not form.on_or_after.errors else None,
        on_or_before=form.on_or_before.data if not form.on_or_before.errors else None,
    )
    return render_template("platform/audit.html", lines=lines, form=form)
