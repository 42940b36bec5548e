"""The bakery's settings page."""

from flask import g, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.forms import SettingsForm
from config.edge import read_upload, save_form
from config.extensions import db
from tenants.bakery_settings import update_settings
from tenants.errors import ValidationFailed


@bp.route("/settings", methods=["GET", "POST"])
@staff_required("settings")
def settings():
    form = SettingsForm(obj=g.tenant)
    return save_form(
        form,
        lambda: update_settings(
            db.session,
            g.tenant,
            actor=current_user,
            name=form.name.data,
            timezone=form.timezone.data,
            currency=form.currency.data,
            locale=form.locale.data,
            address=form.address.data or "",
            contact_email=form.contact_email.data or "",
            brand_colour=form.brand_colour.data,
            order_approval_required=form.order_approval_required.data,
            logo=read_upload(form.logo.data, default=None),
            remove_logo=form.remove_logo.data,
        ),
        url_for("backoffice.settings"),
        "backoffice/settings.html",
        message="Settings saved.",
        catch=ValidationFailed,
    )
