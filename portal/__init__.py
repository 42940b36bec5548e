"""The buyers' wholesale portal at /wholesale/<slug>/: thin views over tenants/ and billing/.

Every route here first resolves the bakery and checks its tier includes `wholesale_portal`;
a bakery without it answers every portal URL with a branded 403 page.
"""

from flask import Blueprint, g

from config.auth import enter_realm
from tenants.plans import require_feature
from tenants.web import load_request_tenant

bp = Blueprint("portal", __name__, url_prefix="/wholesale/<slug>", template_folder="templates")


@bp.url_value_preprocessor
def _resolve_tenant(endpoint, values):
    enter_realm("buyer")
    tenant = load_request_tenant(values.pop("slug"))
    require_feature(tenant, "wholesale_portal")


@bp.url_defaults
def _add_slug(endpoint, values):
    if "slug" not in values and g.get("tenant") is not None:
        values["slug"] = g.tenant.slug


from portal import views, views_statements  # noqa: E402,F401
