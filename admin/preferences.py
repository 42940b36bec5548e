"""The email preferences page a reminder or marketing email links to (no sign-in needed).

The signed token in the link names the bakery and the address; the page lets the recipient
choose which optional categories they receive. GET only shows the choices (mail scanners
pre-fetch links); a person's POST carries the form's CSRF token, and a mail provider's RFC 8058
one-click POST ("List-Unsubscribe=One-Click") unsubscribes from every optional category.
"""

from flask import Blueprint, abort, current_app, g, render_template, request
from wtforms import BooleanField

from config.extensions import csrf, db
from config.forms import ConfirmForm
from tenants.mail_preferences import (
    OPT_OUT_CATEGORIES,
    opted_out_categories,
    read_preferences_token,
    set_preferences,
)
from tenants.web import load_request_tenant

bp = Blueprint("mail_preferences", __name__, url_prefix="/mail/<slug>", template_folder="templates")


@bp.url_value_preprocessor
def _resolve_tenant(endpoint, values):
    load_request_tenant(values.pop("slug"))


def _preferences_form(current: set[str]):
    class PreferencesForm(ConfirmForm):
        pass

    for code, label in OPT_OUT_CATEGORIES.items():
        setattr(PreferencesForm, code, BooleanField(label, default=code not in current))
    return PreferencesForm()


@bp.route("/preferences/<token>", methods=["GET", "POST"])
@csrf.exempt  # the one-click POST comes from mail providers; the form checks its own token
def preferences(token: str):
    found = read_preferences_token(current_app.config["SETTINGS"].secret_key, token)
    if found is None or found[0] != g.tenant.id:
        abort(404)
    email = found[1]
    if request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click":
        set_preferences(db.session, g.tenant, email=email, unsubscribed=set(OPT_OUT_CATEGORIES))
        db.session.commit()
        return "Unsubscribed.", 200
    form = _preferences_form(opted_out_categories(db.session, email))
    saved = False
    if form.validate_on_submit():
        unsubscribed = {code for code in OPT_OUT_CATEGORIES if not getattr(form, code).data}
        set_preferences(db.session, g.tenant, email=email, unsubscribed=unsubscribed)
        db.session.commit()
        saved = True
    elif request.method == "POST":
        abort(400)
    return render_template(
        "public/preferences.html",
        form=form,
        email=email,
        categories=OPT_OUT_CATEGORIES,
        saved=saved,
    )
