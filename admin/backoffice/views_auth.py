"""Staff sign-in, sign-out (here or everywhere), active sessions, forgotten passwords and
accepting an invitation."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from config.edge import apply_change, redirect_after, submit_form
from config.extensions import db
from config.forms import ConfirmForm, EmailForm, NewPasswordForm, SignInForm
from config.signin import (
    active_session_rows,
    clear_sign_in_failures,
    count_bad_token,
    end_session,
    end_sessions_everywhere,
    password_sign_in,
    request_emailed_link,
    token_attempt_allowed,
    welcome,
)
from tenants import signup
from tenants.errors import ValidationFailed
from tenants.mail_preferences import preferences_token
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
        kind="staff_reset",
        message="If that address has an account here, we've emailed a link to reset the password.",
        target=url_for("backoffice.login"),
    )
    if response is not None:
        return response
    return render_template("backoffice/forgot.html", form=form), status


def _token_guard(token: str):
    """Staff token links are throttled per link and per address, like the portal's: a 429
    once this address has guessed too often; otherwise None."""
    if request.method == "POST" and not token_attempt_allowed(
        "staff-token", str(g.tenant.id), token
    ):
        abort(429)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    _token_guard(token)
    works = staff.reset_link_works(db.session, token)
    if request.method == "GET" and not works:
        return render_template("backoffice/reset_invalid.html"), 410
    if request.method == "POST" and not works:
        count_bad_token("staff-token", str(g.tenant.id), token)  # the form says it's dead
    form = NewPasswordForm()

    def reset_and_forgive():
        user = staff.reset_password(
            db.session,
            g.tenant,
            token=token,
            password=form.password.data,
            reset_url=url_for("backoffice.forgot", _external=True),
        )
        clear_sign_in_failures("staff", str(g.tenant.id), user.email)
        return user

    response, status = submit_form(
        form,
        reset_and_forgive,
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
    _token_guard(token)
    invited = staff.invitation_for(db.session, token)
    form = NewPasswordForm()
    if invited is None:
        if request.method == "POST":
            count_bad_token("staff-token", str(g.tenant.id), token)
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


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The owner confirms their address: GET shows a button (scanners), POST uses the link."""
    _token_guard(token)
    if not signup.owner_verification_works(db.session, token):
        if request.method == "POST":
            count_bad_token("staff-token", str(g.tenant.id), token)
        return render_template("backoffice/confirm_email_invalid.html"), 410
    form = ConfirmForm()
    response, status = submit_form(
        form,
        lambda: signup.confirm_owner_email(db.session, g.tenant, token=token),
        redirect_after("Thank you: your email address is confirmed.", url_for("backoffice.home")),
        catch=ValidationFailed,
    )
    if response is not None:
        return response
    return render_template("backoffice/confirm_email.html", form=form), status


@bp.post("/confirm-email/resend")
@staff_required("settings")
def confirm_email_resend():
    """Send the owner's confirmation link again."""
    ConfirmForm().validate_on_submit() or abort(400)
    return apply_change(
        lambda: signup.request_owner_verification(db.session, g.tenant, current_user),
        f"We've sent a new confirmation link to {current_user.email}.",
        url_for("backoffice.home"),
    )


@bp.get("/account/sessions")
@staff_required()
def sessions():
    """Where this staff member is signed in, and a way to sign out everywhere."""
    return render_template(
        "backoffice/sessions.html", rows=active_session_rows(current_user, tenant=g.tenant)
    )


@bp.get("/account/mail-preferences")
@staff_required()
def mail_preferences():
    """This staff member's email preferences page (where "new orders" is switched on)."""
    token = preferences_token(
        current_app.config["SETTINGS"].secret_key, g.tenant.id, current_user.email
    )
    return redirect(url_for("mail_preferences.preferences", slug=g.tenant.slug, token=token))


@bp.post("/account/sessions/end-all")
@staff_required()
def sessions_end_all():
    """Sign out on every device, this one included."""
    ConfirmForm().validate_on_submit() or abort(400)
    end_sessions_everywhere(current_user._get_current_object())
    flash("You're signed out everywhere.")
    return redirect(url_for("backoffice.login"))
