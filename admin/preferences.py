"""The email preferences page a reminder or marketing email links to (no sign-in needed).

The signed token in the link names the bakery and the address; the page lets the recipient
choose which optional categories they receive. GET only shows the choices (mail scanners
pre-fetch links); a person's POST carries the form's CSRF token, and a mail provider's RFC 8058
one-click POST ("List-Unsubscribe=One-Click") unsubscribes from every optional category.
A bakery's staff member who may see orders also finds the opt-in "new orders" choice here.
"""

from flask import Blueprint, abort, current_app, g, render_template, request
from sqlalchemy import func, select
from wtforms import BooleanField

from config.extensions import csrf, db
from config.forms import ConfirmForm
from tenants.mail_preferences import (
    OPT_IN_CATEGORIES,
    OPT_OUT_CATEGORIES,
    opted_out_categories,
    read_preferences_token,
    set_preferences,
)
from tenants.staff.models import StaffUser
from tenants.web import load_request_tenant

bp = Blueprint("mail_preferences", __name__, url_prefix="/mail/<slug>", template_folder="templates")


@bp.url_value_preprocessor
def _resolve_tenant(endpoint, values):
    load_request_tenant(values.pop("slug"))


def _sees_orders(email: str) -> bool:
    """Whether `email` is an active staff member of this bakery who may see orders."""
    staff = db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == email, StaffUser.status == "active")
    )
    return staff is not None and staff.can("orders_view")


def _preferences_form(current: set[str], opt_ins: dict[str, str]):
    class PreferencesForm(ConfirmForm):
        pass

    for code, label in OPT_OUT_CATEGORIES.items():
        setattr(PreferencesForm, code, BooleanField(label, default=code not in current))
    for code, label in opt_ins.items():
        setattr(PreferencesForm, code, BooleanField(label, default=code in current))
    return PreferencesForm()


@bp.route("/preferences/<token>", methods=["GET", "POST"])
@csrf.exempt  # the one-click POST comes from mail providers; the form checks its own token
def preferences(token: str):
    found = read_preferences_token(current_app.config["SETTINGS"].secret_key, token)
    if found is None or found[0] != g.tenant.id:
        abort(404)
    email = found[1]
    if request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click":
        set_preferences(
            db.session,
            g.tenant,
            email=email,
            unsubscribed=set(OPT_OUT_CATEGORIES),
            subscribed=set(),
        )
        db.session.commit()
        return "Unsubscribed.", 200
    opt_ins = OPT_IN_CATEGORIES if _sees_orders(email) else {}
    form = _preferences_form(opted_out_categories(db.session, email), opt_ins)
    saved = False
    if form.validate_on_submit():
        unsubscribed = {code for code in OPT_OUT_CATEGORIES if not getattr(form, code).data}
        subscribed = {code for code in opt_ins if getattr(form, code).data}
        set_preferences(
            db.session,
            g.tenant,
            email=email,
            unsubscribed=unsubscribed,
            subscribed=subscribed if opt_ins else None,
        )
        db.session.commit()
        saved = True
    elif request.method == "POST":
        abort(400)
    return render_template(
        "public/preferences.html",
        form=form,
        email=email,
        categories={**OPT_OUT_CATEGORIES, **opt_ins},
        saved=saved,
    )
