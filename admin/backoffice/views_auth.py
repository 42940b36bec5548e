"""Staff sign-in, sign-out, forgotten passwords and accepting an invitation."""

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user

from admin.backoffice import bp
from admin.backoffice.access import safe_next
from admin.forms import ConfirmForm, EmailForm, NewPasswordForm, SignInForm
from config.extensions import db
from config.forms import attach_error, client_address
from tenants import throttle
from tenants.errors import ValidationFailed
from tenants.staff import services as staff


def _keys(email: str, realm: str = "staff") -> tuple[str, str]:
    return (
        throttle.account_key(realm, str(g.tenant.id), email),
        throttle.address_key(realm, client_address(request)),
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        account, address = _keys(form.email.data)
        if throttle.is_throttled(db.session, account=account, address=address):
            form.form_errors.append(
                "Too many failed sign-ins. Wait 15 minutes or reset your password."
            )
            status = 429
        else:
            user = staff.authenticate_staff(
                db.session, g.tenant, email=form.email.data, password=form.password.data
            )
            if user is None:
                throttle.record_failure(db.session, account=account, address=address)
                db.session.commit()
                form.form_errors.append("That email and password don't match an account here.")
                status = 401
            else:
                throttle.clear_account(db.session, account=account)
                db.session.commit()
                session.clear()
                login_user(user)
                session.permanent = True
                return redirect(
                    safe_next(
                        request.args.get("next"),
                        url_for("backoffice.home"),
                        within=f"/admin/{g.tenant.slug}/",
                    )
                )
    elif form.errors:
        status = 422
    return render_template("backoffice/login.html", form=form), status


@bp.post("/logout")
def logout():
    ConfirmForm().validate_on_submit() or abort(400)
    logout_user()
    session.clear()
    return redirect(url_for("backoffice.login"))


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    form = EmailForm()
    if form.validate_on_submit():
        # Reset requests have their own counters: asking for links must not lock the sign-in.
        account, address = _keys(form.email.data, realm="staff-reset")
        if throttle.is_throttled(db.session, account=account, address=address):
            abort(429)
        # Count requests like failures so the form can't be used to flood someone's inbox.
        throttle.record_failure(db.session, account=account, address=address)
        staff.request_password_reset(db.session, g.tenant, email=form.email.data)
        db.session.commit()
        # The same answer whether or not the address has an account.
        flash("If that address has an account here, we've emailed a link to reset the password.")
        return redirect(url_for("backoffice.login"))
    return render_template("backoffice/forgot.html", form=form), (422 if form.errors else 200)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            staff.reset_password(db.session, g.tenant, token=token, password=form.password.data)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            attach_error(form, exc if exc.field else ValidationFailed(exc.message))
        else:
            flash("Your password is changed. Sign in with it now.")
            return redirect(url_for("backoffice.login"))
    return render_template("backoffice/reset.html", form=form), (422 if form.errors else 200)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    # GET only shows the page: mail scanners pre-fetch links, so the token is used on POST.
    invited = staff.invitation_for(db.session, token)
    form = NewPasswordForm()
    if invited is None:
        return render_template("backoffice/invitation_invalid.html"), 410
    if form.validate_on_submit():
        try:
            user = staff.accept_invitation(
                db.session, g.tenant, token=token, password=form.password.data
            )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            session.clear()
            login_user(user)
            session.permanent = True
            flash(f"Welcome to {g.tenant.name}!")
            return redirect(url_for("backoffice.home"))
    return render_template("backoffice/invitation.html", form=form, invited=invited), (
        422 if form.errors else 200
    )
