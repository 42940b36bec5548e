"""Demo data for the embedded default: two bakeries on different tiers, an operator, customers."""

from __future__ import annotations

from sqlalchemy import select

from config.extensions import db

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - the documented demo password, demo data only


def seed_demo(app) -> list[str]:
    """Create what is missing of the demo; returns the sign-ins to print."""
    from config.demo_catalog import seed_demo_catalog
    from tenants.customers.services import create_customer
    from tenants.models import Plan, Tenant
    from tenants.operators import create_operator
    from tenants.scoping import bind_tenant
    from tenants.signup import sign_up_bakery

    base = app.config["SETTINGS"].base_url
    lines = []
    bakeries = [
        (
            "rosemary-rye",
            "Rosemary & Rye Bakery",
            "professional",
            "Europe/London",
            "GBP",
            "en_GB",
            "Rosa Baker",
            ["Café Aurora", "Corner Deli"],
        ),
        (
            "little-crumb",
            "Little Crumb",
            "starter",
            "Europe/Berlin",
            "EUR",
            "de_DE",
            "Lena Krume",
            ["Kaffeehaus Mitte"],
        ),
    ]
    for slug, name, plan_code, tz, currency, locale, owner, customers in bakeries:
        email = f"owner@{slug}.example"
        with app.app_context():
            if db.session.scalar(select(Tenant.id).where(Tenant.slug == slug)) is None:
                tenant, _ = sign_up_bakery(
                    db.session,
                    name=name,
                    slug=slug,
                    owner_name=owner,
                    email=email,
                    password=DEMO_PASSWORD,
                    timezone=tz,
                    currency=currency,
                    locale=locale,
                )
                plan = db.session.scalar(select(Plan).where(Plan.code == plan_code))
                tenant.plan_id, tenant.plan = plan.id, plan
                tenant.subscription_status = "active"
                tenant.trial_ends_at = None
                for customer in customers:
                    create_customer(db.session, tenant, actor=None, business_name=customer)
                bind_tenant(db.session, tenant.id)
                seed_demo_catalog(db.session, tenant, slug)
                db.session.commit()
            else:
                tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
                bind_tenant(db.session, tenant.id)
            lines.append(f"{name} ({plan_code}): {base}/admin/{slug}/login  as {email}")
            lines.append(f"    wholesale portal: {base}/wholesale/{slug}/login")
    with app.app_context():
        create_operator(
            db.session,
            email="operator@platform.example",
            name="Pat Operator",
            password=DEMO_PASSWORD,
        )
        db.session.commit()
    lines.append(f"Platform console: {base}/platform/login  as operator@platform.example")
    lines.append(f"Captured mail: {base}/dev/mail")
    return lines
