"""Demo data for the embedded default: two bakeries on different tiers, an operator, customers."""

from __future__ import annotations

from sqlalchemy import select

from config.extensions import db
from config.root.demo_bakeryday import seed_demo_bakery_day
from config.root.demo_card import seed_demo_card_now
from config.root.demo_catalog import seed_demo_catalog
from config.root.demo_invoices import seed_demo_invoices
from config.root.demo_online_attempts import seed_demo_online_attempts
from config.root.demo_orders import seed_demo_orders
from config.root.demo_receivables import seed_demo_receivables, send_demo_reminders
from config.root.demo_reminders import seed_demo_reminders
from config.root.demo_standing import seed_demo_standing
from config.root.demo_stripebill import seed_demo_billing
from tenants.customers import contacts, locations, services
from tenants.customers.models import Customer
from tenants.models import Plan, Tenant
from tenants.operators import create_operator
from tenants.passwords import hash_password
from tenants.scoping import bind_tenant
from tenants.signup import sign_up_bakery

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - the documented demo password, demo data only


def seed_demo(app) -> list[str]:
    """Create what is missing of the demo; returns the sign-ins to print."""
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
                    email_verified=True,
                )
                plan = db.session.scalar(select(Plan).where(Plan.code == plan_code))
                tenant.plan_id, tenant.plan = plan.id, plan
                tenant.subscription_status = "active"
                tenant.trial_ends_at = None
                for customer in customers:
                    services.create_customer(db.session, tenant, actor=None, business_name=customer)
                bind_tenant(db.session, tenant.id)
                seed_demo_catalog(db.session, tenant, slug)
                db.session.commit()
            else:
                tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
                bind_tenant(db.session, tenant.id)
            lines.append(f"{name} ({plan_code}): {base}/admin/{slug}/login  as {email}")
            lines.append(f"    wholesale portal: {base}/wholesale/{slug}/login")
            if slug == "rosemary-rye":
                lines.extend(_seed_cafe_aurora(tenant, base))
                seed_demo_bakery_day(db.session, tenant)
                seed_demo_card_now(db.session, tenant, password_hash=hash_password(DEMO_PASSWORD))
                db.session.commit()
                deli = "orders@corner-deli.example"
                lines.append(f"    card-now buyer: {base}/wholesale/{slug}/login  as {deli}")
    seed_demo_billing(app)
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


def _seed_cafe_aurora(tenant, base: str) -> list[str]:
    """Café Aurora's portal: two locations, an active owner and an invited location buyer."""
    customer = db.session.scalar(select(Customer).where(Customer.business_name == "Café Aurora"))
    if customer is None:
        return []
    if not contacts.list_contacts(db.session, customer):
        services.update_customer(
            db.session,
            tenant,
            actor=None,
            customer=customer,
            trading_name="Aurora",
            billing_email="accounts@cafe-aurora.example",
            payment_terms="net_14",
            minimum_order_minor=3000,
            delivery_weekdays=[0, 2, 4],
        )
        services.set_portal_enabled(db.session, tenant, actor=None, customer=customer, enabled=True)
        old_town = locations.save_location(
            db.session,
            tenant,
            actor=None,
            customer=customer,
            name="Old Town",
            address="12 Market Square",
            delivery_instructions="Back door before 7:00",
        )
        riverside = locations.save_location(
            db.session,
            tenant,
            actor=None,
            customer=customer,
            name="Riverside",
            address="3 Quay Street",
        )
        owner = contacts.save_contact(
            db.session,
            tenant,
            actor=None,
            customer=customer,
            first_name="Olivia",
            last_name="Aurora",
            email="owner@cafe-aurora.example",
            is_owner=True,
            is_billing=True,
            location_id=old_town.id,
        )
        owner.password_hash = hash_password(DEMO_PASSWORD)
        owner.status = "active"
        buyer = contacts.save_contact(
            db.session,
            tenant,
            actor=None,
            customer=customer,
            first_name="Ravi",
            last_name="Rivers",
            email="riverside@cafe-aurora.example",
            access_level="location",
            location_id=riverside.id,
            grants={"view_orders", "create_orders"},
        )
        contacts.invite_contact(db.session, tenant, actor=None, customer=customer, contact=buyer)
        db.session.commit()
    _seed_orders(tenant, customer)
    return [f"    portal buyer: {base}/wholesale/{tenant.slug}/login  as owner@cafe-aurora.example"]


def _seed_orders(tenant, customer) -> None:
    """Café Aurora's orders in every status, the bakery's delivery calendar, invoices, payments
    (by hand and online) and reminders."""
    from tenants.customers.models import Contact

    owner = db.session.scalar(select(Contact).where(Contact.email == "owner@cafe-aurora.example"))
    seed_demo_orders(db.session, tenant, customer=customer, owner_contact=owner)
    seed_demo_standing(db.session, tenant, customer=customer, owner_contact=owner)
    seed_demo_reminders(db.session, tenant, customer=customer, owner_contact=owner)
    seed_demo_invoices(db.session, tenant, customer=customer)
    fresh = seed_demo_receivables(db.session, tenant, customer=customer, remind=False)
    # Card payments on the invoices in between (money through the receivables service), then
    # today's reminders for what is still owed after both, so none goes to an invoice paid.
    seed_demo_online_attempts(db.session, tenant, customer=customer, contact=owner)
    if fresh:
        send_demo_reminders(db.session, tenant)
    db.session.commit()
