"""The back office home: the day's orders (for staff who see them), and what the bakery's tier
includes."""

from flask import g, render_template
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.charts_svg import layout
from config.clock import utcnow
from config.extensions import db
from config.formatting import format_date
from tenants.features import FEATURES, LIMITS
from tenants.orders.dashboard import dashboard, record_visit
from tenants.plans import effective_plan
from tenants.production.charts import home_charts
from tenants.usage import tenant_usage


@bp.get("/")
@staff_required()
def home():
    plan = effective_plan(g.tenant)
    orders = charts = None
    if current_user.can("orders_view") and current_user.can("customers_view"):
        now = utcnow()
        since = record_visit(db.session, current_user, now=now)
        db.session.commit()  # before reading: a commit would expire the rows the page shows
        orders = dashboard(db.session, g.tenant, since=since, now=now)
        charts = home_charts(db.session, g.tenant, now=now)
    return render_template(
        "backoffice/home.html",
        plan=plan,
        features=FEATURES,
        limits=LIMITS,
        usage=tenant_usage(db.session, g.tenant.id),
        orders=orders,
        charts=charts,
        chart=layout(charts) if charts else None,
        when=lambda value: format_date(value, g.tenant, with_time=True),
    )
