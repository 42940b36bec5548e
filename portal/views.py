"""Portal entry pages."""

from flask import redirect, render_template, url_for

from admin.forms import SignInForm
from portal import bp


@bp.get("/")
def home():
    return redirect(url_for("portal.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        # Buyer accounts (contacts) arrive with the customers issue; until then no email matches.
        form.form_errors.append("That email and password don't match an account here.")
        status = 401
    return render_template("portal/login.html", form=form), status
