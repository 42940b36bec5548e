"""The team page: invite staff, change roles, disable accounts."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.forms import ConfirmForm, InviteStaffForm, RoleForm
from config.extensions import db
from config.forms import attach_error
from tenants.errors import LimitReached, NotFound, PermissionDenied, ValidationFailed
from tenants.staff import services as staff
from tenants.staff.permissions import ROLES


@bp.route("/staff", methods=["GET", "POST"])
@staff_required("staff")
def staff_list():
    form = InviteStaffForm()
    status = 200
    if form.validate_on_submit():
        try:
            staff.invite_staff(
                db.session,
                g.tenant,
                actor=current_user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
            )
            db.session.commit()
        except (ValidationFailed, LimitReached, PermissionDenied) as exc:
            db.session.rollback()
            attach_error(form, exc)
            status = exc.status_code
        else:
            flash(f"Invitation sent to {form.email.data}.")
            return redirect(url_for("backoffice.staff_list"))
    elif form.errors:
        status = 422
    return render_template(
        "backoffice/staff.html",
        form=form,
        team=staff.list_staff(db.session),
        roles=ROLES,
        role_form=RoleForm(),
        confirm=ConfirmForm(),
    ), status


@bp.post("/staff/<staff_id>/role")
@staff_required("staff")
def staff_role(staff_id):
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        user = staff.change_role(
            db.session, g.tenant, actor=current_user, staff_id=staff_id, role=form.role.data
        )
        db.session.commit()
        flash(f"{user.name} is now {ROLES[user.role][0]}.")
    except NotFound:
        abort(404)
    except (ValidationFailed, PermissionDenied) as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("backoffice.staff_list"))


@bp.post("/staff/<staff_id>/disable")
@staff_required("staff")
def staff_disable(staff_id):
    return _set_disabled(staff_id, True)


@bp.post("/staff/<staff_id>/enable")
@staff_required("staff")
def staff_enable(staff_id):
    return _set_disabled(staff_id, False)


@bp.post("/staff/<staff_id>/resend")
@staff_required("staff")
def staff_resend(staff_id):
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        user = staff.get_staff(db.session, staff_id)
        if user.status != "invited":
            flash(f"{user.name} has already joined.", "error")
            return redirect(url_for("backoffice.staff_list"))
        staff.invite_staff(
            db.session,
            g.tenant,
            actor=current_user,
            email=user.email,
            name=user.name,
            role=user.role,
        )
        db.session.commit()
        flash(f"A new invitation went to {user.email}; the old link no longer works.")
    except NotFound:
        abort(404)
    except (ValidationFailed, PermissionDenied, LimitReached) as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("backoffice.staff_list"))


def _set_disabled(staff_id, disabled: bool):
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        user = staff.set_disabled(
            db.session, g.tenant, actor=current_user, staff_id=staff_id, disabled=disabled
        )
        db.session.commit()
        flash(f"{user.name} is {'disabled' if disabled else 'enabled'}.")
    except NotFound:
        abort(404)
    except (ValidationFailed, PermissionDenied, LimitReached) as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("backoffice.staff_list"))
