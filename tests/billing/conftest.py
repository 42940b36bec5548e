"""Fixtures for the Stripe tests: Stripe on behind the stand-in, tiers with prices, and two
bakeries that are platform customers with their own connected accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.factories import make_bakery, platform_session
from tests.support.stripe_fake import stripe_fake  # noqa: F401 - the fixture

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
