"""The team page: invite staff, change roles, resend invitations, disable accounts."""

from flask import abort, g, render_template, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.forms import ConfirmForm, InviteStaffForm, RoleForm
from config.edge import apply_change, found_or_404, redirect_after, submit_form
from config.extensions import db
from tenants.staff import services as staff
from tenants.staff.permissions import ROLES


@bp.route("/staff", methods=["GET", "POST"])
@staff_required("staff")
def staff_list():
    form = InviteStaffForm()

    response, status = submit_form(
        form,
        lambda: staff.invite_staff(
            db.session,
            g.tenant,
            actor=current_user,
            email=form.email.data,
            name=form.name.data,
            role=form.role.data,
        ),
        redirect_after(f"Invitation sent to {form.email.data}.", url_for("backoffice.staff_list")),
    )
    if response is not None:
        return response
    return render_template(
        "backoffice/staff.html", form=form, team=staff.list_staff(db.session), roles=ROLES
    ), status


def _apply(action, success_message):
    """Run one staff change, commit it, and report the outcome on the team page."""
    return apply_change(action, success_message, url_for("backoffice.staff_list"))


@bp.post("/staff/<staff_id>/role")
@staff_required("staff")
def staff_role(staff_id):
    member = found_or_404(staff.get_staff, staff_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    return _apply(
        lambda: staff.change_role(
            db.session, g.tenant, actor=current_user, user=member, role=form.role.data
        ),
        lambda user: f"{user.name} is now {ROLES[user.role][0]}.",
    )


@bp.post("/staff/<staff_id>/disable")
@staff_required("staff")
def staff_disable(staff_id):
    member = found_or_404(staff.get_staff, staff_id)
    ConfirmForm().validate_on_submit() or abort(400)
    return _apply(
        lambda: staff.set_disabled(
            db.session, g.tenant, actor=current_user, user=member, disabled=True
        ),
        lambda user: f"{user.name} is disabled.",
    )


@bp.post("/staff/<staff_id>/enable")
@staff_required("staff")
def staff_enable(staff_id):
    member = found_or_404(staff.get_staff, staff_id)
    ConfirmForm().validate_on_submit() or abort(400)
    return _apply(
        lambda: staff.set_disabled(
            db.session, g.tenant, actor=current_user, user=member, disabled=False
        ),
        lambda user: f"{user.name} is enabled.",
    )


@bp.post("/staff/<staff_id>/resend")
@staff_required("staff")
def staff_resend(staff_id):
    member = found_or_404(staff.get_staff, staff_id)
    ConfirmForm().validate_on_submit() or abort(400)
    return _apply(
        lambda: staff.resend_invitation(db.session, g.tenant, actor=current_user, user=member),
        lambda user: f"A new invitation went to {user.email}; the old link no longer works.",
    )
