"""The back office home: what the bakery's tier includes and what is next."""

from flask import g, render_template

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from config.extensions import db
from tenants.features import FEATURES, LIMITS
from tenants.plans import effective_plan
from tenants.usage import tenant_usage


@bp.get("/")
@staff_required()
def home():
    plan = effective_plan(g.tenant)
    return render_template(
        "backoffice/home.html",
        plan=plan,
        features=FEATURES,
        limits=LIMITS,
        usage=tenant_usage(db.session, g.tenant.id),
    )
