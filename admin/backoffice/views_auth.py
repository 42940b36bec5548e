"""Staff sign-in, sign-out, forgotten passwords and accepting an invitation."""

from flask import abort, g, redirect, render_template, request, url_for

from admin.backoffice import bp
from config.edge import redirect_after, submit_form
from config.extensions import db
from config.forms import ConfirmForm, EmailForm, NewPasswordForm, SignInForm
from config.signin import end_session, password_sign_in, request_emailed_link, welcome
from tenants.errors import ValidationFailed
from tenants.staff import services as staff


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = SignInForm()
    response, status = password_sign_in(
        form,
        realm="staff",
        scope=str(g.tenant.id),
        authenticate=lambda email, password: staff.authenticate_staff(
            db.session, g.tenant, email=email, password=password
        ),
        home=url_for("backoffice.home"),
        within=f"/admin/{g.tenant.slug}/",
        too_many="Too many failed sign-ins. Wait 15 minutes or reset your password.",
    )
    if response is not None:
        return response
    return render_template("backoffice/login.html", form=form), status


@bp.post("/logout")
def logout():
    ConfirmForm().validate_on_submit() or abort(400)
    end_session()
    return redirect(url_for("backoffice.login"))


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    form = EmailForm()
    response, status = request_emailed_link(
        form,
        realm="staff-reset",
        scope=str(g.tenant.id),
        send=lambda email: staff.request_password_reset(db.session, g.tenant, email=email),
        message="If that address has an account here, we've emailed a link to reset the password.",
        target=url_for("backoffice.login"),
    )
    if response is not None:
        return response
    return render_template("backoffice/forgot.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    if request.method == "GET" and not staff.reset_link_works(db.session, token):
        return render_template("backoffice/reset_invalid.html"), 410
    form = NewPasswordForm()
    response, status = submit_form(
        form,
        lambda: staff.reset_password(
            db.session,
            g.tenant,
            token=token,
            password=form.password.data,
            reset_url=url_for("backoffice.forgot", _external=True),
        ),
        redirect_after(
            "Your password is changed. Sign in with it now.", url_for("backoffice.login")
        ),
        catch=ValidationFailed,
    )
    if response is not None:
        return response
    return render_template("backoffice/reset.html", form=form), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    # GET only shows the page: mail scanners pre-fetch links, so the token is used on POST.
    invited = staff.invitation_for(db.session, token)
    form = NewPasswordForm()
    if invited is None:
        return render_template("backoffice/invitation_invalid.html"), 410
    response, status = submit_form(
        form,
        lambda: staff.accept_invitation(
            db.session, g.tenant, token=token, password=form.password.data
        ),
        lambda user: welcome(user, f"Welcome to {g.tenant.name}!", url_for("backoffice.home")),
        catch=ValidationFailed,
    )
    if response is not None:
        return response
    return render_template("backoffice/invitation.html", form=form, invited=invited), status
