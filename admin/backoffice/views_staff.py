"""The team page: invite staff, change roles, resend invitations, disable accounts."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.forms import InviteStaffForm, RoleForm
from config.confirm import confirm_page, flash_with_undo
from config.edge import apply_change, found_or_404, redirect_after, submit_form
from config.extensions import db
from config.forms import ConfirmForm
from tenants.errors import DomainError
from tenants.staff import services as staff
from tenants.staff.permissions import ROLES, role_explanations


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
        "backoffice/staff.html",
        form=form,
        team=staff.list_staff(db.session),
        roles=ROLES,
        role_explanations=role_explanations(),
    ), status


def _member_change(staff_id, form, service, message, **kwargs):
    """One change to a team member from a button's `form` (400 unless it validates), committed
    and reported on the team page; `message(user)` words the outcome."""
    member = found_or_404(staff.get_staff, staff_id)
    form.validate_on_submit() or abort(400)
    return apply_change(
        lambda: service(db.session, g.tenant, actor=current_user, user=member, **kwargs),
        message,
        url_for("backoffice.staff_list"),
    )


@bp.post("/staff/<staff_id>/role")
@staff_required("staff")
def staff_role(staff_id):
    form = RoleForm()
    return _member_change(
        staff_id,
        form,
        staff.change_role,
        lambda user: f"{user.name} is now {ROLES[user.role][0]}.",
        role=form.role.data,
    )


@bp.route("/staff/<staff_id>/disable", methods=["GET", "POST"])
@staff_required("staff")
def staff_disable(staff_id):
    """Take a colleague's access away, from the confirm step; the message offers the undo."""
    member = found_or_404(staff.get_staff, staff_id)
    if request.method == "GET":
        return confirm_page(
            "backoffice/base.html",
            question=f"Disable {member.name}?",
            details=[
                f"{member.name} ({member.email}) is signed out and can no longer sign in to "
                f"{g.tenant.name}'s back office. Their past changes stay in the log; you can "
                "enable them again later."
            ],
            button=f"Disable {member.name}",
            cancel_url=url_for("backoffice.staff_list"),
        )
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        staff.set_disabled(db.session, g.tenant, actor=current_user, user=member, disabled=True)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("backoffice.staff_list"))
    flash_with_undo(
        f"{member.name} is disabled.",
        url_for("backoffice.staff_enable", staff_id=member.id),
        f"Enable {member.name} again",
    )
    return redirect(url_for("backoffice.staff_list"))


@bp.post("/staff/<staff_id>/enable")
@staff_required("staff")
def staff_enable(staff_id):
    return _member_change(
        staff_id,
        ConfirmForm(),
        staff.set_disabled,
        lambda user: f"{user.name} is enabled.",
        disabled=False,
    )


@bp.post("/staff/<staff_id>/resend")
@staff_required("staff")
def staff_resend(staff_id):
    return _member_change(
        staff_id,
        ConfirmForm(),
        staff.resend_invitation,
        lambda user: f"A new invitation went to {user.email}; the old link no longer works.",
    )
