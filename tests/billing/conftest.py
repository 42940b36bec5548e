"""Fixtures for the billing tests. Invoices: two bakeries with the same café, products and a
billing contact each, invoicing in UTC unless a test sets the bakery's timezone. Stripe: Stripe on
behind the stand-in, tiers with prices, and two bakeries that are platform customers with their
own connected accounts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.support.catalog import add_product
from tests.support.factories import add_contact, make_bakery, make_customer, platform_session
from tests.support.stripe_fake import stripe_fake  # noqa: F401 - the fixture


@dataclass
class Shop:
    bakery: object
    customer: dict
    bread: object
    roll: object
    billing_contact: object

    @property
    def main(self):
        return self.customer["locations"]["Main Street"]

    @property
    def harbour(self):
        return self.customer["locations"]["Harbour"]


def make_shop(app, bakery, name="Café Aurora", email="billing@example.com", sku="") -> Shop:
    customer = make_customer(app, bakery, name, billing_email="", payment_terms="net_14")
    contact = add_contact(
        app, bakery, customer["id"], email=email, grants=("view_orders", "view_invoices")
    )
    bread = add_product(app, bakery, sku=f"BAG-01{sku}", name="Baguette", price=250, tax_rate=7)
    roll = add_product(app, bakery, sku=f"ROL-01{sku}", name="Roll", price=80, tax_rate=19)
    return Shop(bakery, customer, bread, roll, contact)


@pytest.fixture
def shops(app, two_bakeries):
    return [make_shop(app, bakery) for bakery in two_bakeries]


PRICES = {"starter": "price_starter", "professional": "price_pro", "enterprise": "price_ent"}


def set_stripe(app, bakery, **fields):
    """Write Stripe fields of a bakery's row (as the webhooks would have)."""
    from tenants.models import Tenant

    with platform_session(app) as session:
        tenant = session.get(Tenant, bakery.id)
        for name, value in fields.items():
            setattr(tenant, name, value)


def tenant_row(app, bakery) -> dict:
    """The bakery's row as plain values, read fresh."""
    from tenants.models import Tenant
    from tenants.plans import effective_plan

    with platform_session(app) as session:
        tenant = session.get(Tenant, bakery.id)
        values = {c.name: getattr(tenant, c.name) for c in Tenant.__table__.columns}
        values["plan_code"] = tenant.plan.code
        values["effective_code"] = effective_plan(tenant).code
        return values


@pytest.fixture
def priced_plans(app):
    from tenants.models import Plan

    with platform_session(app) as session:
        for plan in session.scalars(select(Plan)):
            plan.stripe_price_id = PRICES.get(plan.code, "")
    return PRICES


@pytest.fixture
def customers(app, priced_plans):
    """North and South bakeries, each a platform customer with a connected account."""
    north = make_bakery(app, "north-bakery", status="trialing")
    south = make_bakery(app, "south-bakery")
    set_stripe(
        app,
        north,
        stripe_customer_id="cus_north",
        stripe_account_id="acct_north",
        stripe_account_status="onboarding",
    )
    set_stripe(
        app,
        south,
        stripe_customer_id="cus_south",
        stripe_account_id="acct_south",
        stripe_account_status="active",
    )
    return north, south
