"""The bakery staff back office at /admin/<slug>/."""

import uuid

from flask import Blueprint, g

from config.auth import enter_realm, register_realm
from config.extensions import db
from tenants.sign_in_sessions import signed_in_params, signed_in_select
from tenants.staff.models import StaffUser
from tenants.web import load_request_tenant

bp = Blueprint("backoffice", __name__, url_prefix="/admin/<slug>", template_folder="templates")


@bp.url_value_preprocessor
def _resolve_tenant(endpoint, values):
    enter_realm("staff")
    load_request_tenant(values.pop("slug"))


@bp.url_defaults
def _add_slug(endpoint, values):
    if "slug" not in values and g.get("tenant") is not None:
        values["slug"] = g.tenant.slug


_SIGNED_IN = signed_in_select(StaffUser, realm="staff")


def _load_staff(rest: str, secret: str):
    tenant_id, _, user_id = rest.partition(":")
    tenant = g.get("tenant")
    if tenant is None or str(tenant.id) != tenant_id:
        return None  # a cookie from another bakery is anonymous here
    try:
        user_uuid = uuid.UUID(user_id)
    except ValueError:
        return None
    found = db.session.execute(_SIGNED_IN, signed_in_params(user_uuid, secret)).first()
    return found if found is not None and found[0].is_active else None


register_realm("staff", _load_staff)

from admin.backoffice import (  # noqa: E402,F401
    views_auth,
    views_calendar,
    views_catalog,
    views_catalog_io,
    views_catalog_pricing,
    views_customers,
    views_delivery,
    views_desk,
    views_followup,
    views_home,
    views_invoices,
    views_mail,
    views_online_attempts,
    views_online_payments,
    views_orders,
    views_payments,
    views_plan,
    views_production,
    views_receivables,
    views_review,
    views_settings,
    views_staff,
    views_standing,
)
