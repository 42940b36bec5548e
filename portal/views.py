"""Portal sign-in: password, invitation, forgotten password, magic link, sign-out.

Answers never reveal whether an email has an account here. Token links show a page on GET and
use the token only on POST, so mail scanners that pre-fetch links cannot burn them.
"""

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from config import throttle
from config.edge import commit_change, submit_form
from config.extensions import db
from config.forms import ConfirmForm, EmailForm, NewPasswordForm, SignInForm, attach_error
from config.signin import (
    clear_sign_in_failures,
    count_bad_token,
    end_session,
    keep_only_this_session,
    password_sign_in,
    request_emailed_link,
    start_session,
    throttle_keys,
    token_attempt_allowed,
    welcome,
)
from portal import bp
from portal.access import buyer_required
from portal.forms import ChangePasswordForm
from tenants.customers import portal_auth
from tenants.customers.view_as import VIEW_AS_KEY
from tenants.errors import ValidationFailed

TOO_MANY = _l("Too many attempts. Wait 15 minutes, or use the link in your email.")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Email and password sign-in, throttled per account and address."""
    if g.contact is not None and g.viewing_as is None:
        return redirect(url_for("portal.home"))
    form = SignInForm()
    response, status = password_sign_in(
        form,
        realm="buyer",
        scope=str(g.tenant.id),
        authenticate=lambda email, password: portal_auth.authenticate_contact(
            db.session, g.tenant, email=email, password=password
        ),
        home=url_for("portal.home"),
        within=f"/wholesale/{g.tenant.slug}/",
        too_many=_(
            "Too many failed sign-ins. Wait 15 minutes, reset your password or ask for a "
            "sign-in link."
        ),
        no_match=_("That email and password don't match an account here."),
    )
    if response is not None:
        return response
    return render_template("portal/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out of the portal."""
    ConfirmForm().validate_on_submit() or abort(400)
    end_session()
    flash(_("You're signed out."))
    return redirect(url_for("portal.login"))


@bp.post("/viewing/stop")
def stop_viewing():
    """Staff leave the read-only view and go back to the customer in the back office."""
    ConfirmForm().validate_on_submit() or abort(400)
    choice = session.pop(VIEW_AS_KEY, None) or {}
    if choice.get("customer_id"):
        return redirect(url_for("backoffice.customer_detail", customer_id=choice["customer_id"]))
    return redirect(url_for("backoffice.home"))


def _request_link(kind: str, template: str, sent_message: str):
    form = EmailForm()
    response, status = request_emailed_link(
        form,
        realm="buyer-link",
        scope=str(g.tenant.id),
        kind=kind,
        message=sent_message,
        target=url_for("portal.login"),
    )
    if response is not None:
        return response
    return render_template(template, form=form), status


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    """Ask for a password reset link."""
    return _request_link(
        "buyer_reset",
        "portal/forgot.html",
        "If that address has an account here, we've emailed a link to reset the password.",
    )


@bp.route("/magic", methods=["GET", "POST"])
def magic_request():
    """Ask for a one-time sign-in link."""
    return _request_link(
        "buyer_magic",
        "portal/magic_request.html",
        "If that address has an account here, we've emailed a sign-in link. It works once.",
    )


def _token_post_allowed(token: str) -> bool:
    # Per link and per address: a wrong guess never blocks another person's link.
    return token_attempt_allowed("buyer-token", str(g.tenant.id), token)


def _count_bad_token(token: str) -> None:
    count_bad_token("buyer-token", str(g.tenant.id), token)


class _LinkUnusable(ValidationFailed):
    """A sign-in link that is unknown, used, expired, or whose contact may no longer sign in:
    raised so the edge rolls back whatever using it wrote (a contact who can't sign in keeps
    their link unused)."""


def _use_magic_link(token: str):
    contact = portal_auth.consume_magic_link(db.session, g.tenant, token=token)
    if contact is None:
        raise _LinkUnusable("This sign-in link has expired or was already used.")
    return contact


@bp.route("/magic/<token>", methods=["GET", "POST"])
def magic_link(token: str):
    """GET shows a Continue button; POST uses the link once and signs in."""
    # GET shows a "Continue" button only: the token is used by the POST, atomically.
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        if not _token_post_allowed(token):
            abort(429)
        contact, refused = commit_change(lambda: _use_magic_link(token), catch=_LinkUnusable)
        if refused is not None:
            _count_bad_token(token)
            return render_template("portal/link_invalid.html", what="sign-in link"), 410
        start_session(contact)
        return redirect(url_for("portal.home"))
    contact = portal_auth.magic_link_for(db.session, token)
    if contact is None:
        return render_template("portal/link_invalid.html", what="sign-in link"), 410
    return render_template("portal/magic_continue.html", form=form, contact=contact)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password with a reset link."""
    form = NewPasswordForm()
    if form.validate_on_submit():
        if not _token_post_allowed(token):
            abort(429)

        def reset_and_forgive():
            contact = portal_auth.reset_password(
                db.session,
                g.tenant,
                token=token,
                password=form.password.data,
                reset_url=url_for("portal.forgot", _external=True),
            )
            clear_sign_in_failures("buyer", str(g.tenant.id), contact.email)

        _saved, refused = commit_change(reset_and_forgive, catch=ValidationFailed)
        if refused is None:
            flash(_("Your password is changed. Sign in with it now."))
            return redirect(url_for("portal.login"))
        if not refused.field:
            _count_bad_token(token)
        attach_error(form, refused if refused.field else ValidationFailed(refused.message))
    elif request.method == "GET" and not portal_auth.reset_for(db.session, token):
        return render_template("portal/link_invalid.html", what="reset link"), 410
    return render_template("portal/reset.html", form=form), (422 if form.errors else 200)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """GET shows the page (scanners can't burn the link); POST uses it once."""
    if request.method == "POST" and not _token_post_allowed(token):
        abort(429)
    invited = portal_auth.invitation_for(db.session, token)
    if invited is None:
        if request.method == "POST":
            _count_bad_token(token)
        return render_template("portal/link_invalid.html", what="invitation link"), 410
    form = NewPasswordForm()
    response, status = submit_form(
        form,
        lambda: portal_auth.accept_invitation(
            db.session, g.tenant, token=token, password=form.password.data
        ),
        lambda contact: welcome(
            contact, f"Welcome to {g.tenant.name}'s wholesale portal!", url_for("portal.home")
        ),
        catch=ValidationFailed,
    )
    if response is not None:
        return response
    return render_template("portal/invitation.html", form=form, invited=invited), status


@bp.route("/change-password", methods=["GET", "POST"])
@buyer_required()
def change_password():
    """Forced after a temporary password; also reachable from account settings.

    Checking the current password is a password oracle for whoever holds a signed-in session
    (a borrowed laptop, a stolen cookie), so wrong answers are throttled like sign-in: per
    contact and per address, with keys of their own so they never lock the password sign-in.
    """
    form = ChangePasswordForm()

    def page(status: int):
        return render_template("portal/change_password.html", form=form), status

    if not form.validate_on_submit():
        return page(422 if form.errors else 200)
    account, address = throttle_keys("buyer-password", str(g.tenant.id), str(g.contact.id))
    if throttle.is_throttled(db.session, account=account, address=address):
        form.form_errors.append(
            _(
                'Too many wrong current passwords. Wait 15 minutes, or sign out and use "Forgot '
                'password".'
            )
        )
        return page(429)

    def change():
        portal_auth.change_own_password(
            db.session,
            g.tenant,
            contact=g.contact,
            new_password=form.new_password.data,
            current_password=form.current_password.data,
            reset_url=url_for("portal.forgot", _external=True),
        )
        throttle.clear_account(db.session, account=account)
        # The new password ends every other session; this one goes on under the new stamp.
        keep_only_this_session(g.contact)

    _saved, refused = commit_change(change, catch=ValidationFailed)
    if refused is not None:
        wrong_current = any(
            p.field == "current_password" for p in getattr(refused, "problems", [refused])
        )
        if wrong_current:
            throttle.record_failure(db.session, account=account, address=address)
            db.session.commit()
        attach_error(form, refused)
        return page(refused.status_code)
    flash(_("Your password is changed."))
    return redirect(url_for("portal.home"))


from portal import (  # noqa: E402,F401
    views_account,
    views_catalog,
    views_followup,
    views_invoices,
    views_orders,
    views_pay,
    views_standing,
)
