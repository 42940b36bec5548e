"""Plan gating: effective tier from subscription state and override; features; limits."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from config.extensions import db
from tenants.customers.models import Customer
from tenants.customers.services import create_customer
from tenants.errors import LimitReached
from tenants.models import Plan, Tenant
from tenants.plans import check_limit, effective_plan, has_feature
from tests.support.factories import tenant_session

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _plan(code):
    return db.session.scalar(select(Plan).where(Plan.code == code))


def _tenant(bakery):
    return db.session.get(Tenant, bakery.id)


@pytest.mark.parametrize(
    ("status", "trial_ends", "past_due_since", "expected"),
    [
        ("active", None, None, "professional"),
        ("trialing", NOW + timedelta(days=1), None, "professional"),
        ("trialing", NOW - timedelta(seconds=1), None, "starter"),
        ("past_due", None, NOW - timedelta(days=6), "professional"),
        ("past_due", None, NOW - timedelta(days=8), "starter"),
        ("canceled", None, None, "starter"),
        ("unpaid", None, None, "starter"),
    ],
)
def test_the_effective_tier_follows_the_subscription_state(
    app, two_bakeries, status, trial_ends, past_due_since, expected
):
    north, _ = two_bakeries
    with app.app_context():
        tenant = _tenant(north)
        tenant.subscription_status = status
        tenant.trial_ends_at = trial_ends
        tenant.past_due_since = past_due_since
        assert effective_plan(tenant, now=NOW).code == expected
        assert has_feature(tenant, "wholesale_portal", now=NOW) is (expected == "professional")


def test_an_operator_override_wins_until_it_expires(app, two_bakeries):
    north, _ = two_bakeries
    with app.app_context():
        tenant = _tenant(north)
        tenant.subscription_status = "canceled"
        tenant.override_plan = _plan("enterprise")
        tenant.override_expires_at = NOW + timedelta(days=3)
        assert effective_plan(tenant, now=NOW).code == "enterprise"
        assert has_feature(tenant, "api", now=NOW)
        assert effective_plan(tenant, now=NOW + timedelta(days=3)).code == "starter"


def test_unknown_features_are_a_programming_error(app, two_bakeries):
    north, _ = two_bakeries
    with app.app_context(), pytest.raises(KeyError):
        has_feature(_tenant(north), "teleportation")


def test_creating_past_a_limit_fails_with_a_message_naming_the_limit(app, two_bakeries):
    north, south = two_bakeries
    with app.app_context():
        _plan("professional").max_customers = 2
        db.session.commit()
    with tenant_session(app, north.id) as session:
        tenant = session.get(Tenant, north.id)
        create_customer(session, tenant, actor=None, business_name="One")
        create_customer(session, tenant, actor=None, business_name="Two")
        with pytest.raises(LimitReached) as caught:
            create_customer(session, tenant, actor=None, business_name="Three")
        assert "allows 2 customers" in caught.value.message
        assert caught.value.limit == "customers"
    # The other bakery's usage is its own.
    with tenant_session(app, south.id) as session:
        check_limit(session.get(Tenant, south.id), "customers", adding=2)


def test_a_blank_limit_means_unlimited(app, two_bakeries):
    north, _ = two_bakeries
    with tenant_session(app, north.id) as session:
        _plan("professional").max_staff_users = None
        check_limit(session.get(Tenant, north.id), "staff_users", adding=10_000)


def test_a_downgrade_deletes_nothing(app, two_bakeries):
    north, _ = two_bakeries
    with tenant_session(app, north.id) as session:
        tenant = session.get(Tenant, north.id)
        for name in ("A", "B", "C"):
            create_customer(session, tenant, actor=None, business_name=name)
    with freeze_time(NOW), tenant_session(app, north.id) as session:
        tenant = session.get(Tenant, north.id)
        tenant.subscription_status = "canceled"
        _plan("starter").max_customers = 1
        assert effective_plan(tenant).code == "starter"
        assert session.scalars(select(Customer)).all() != []
        assert len(session.scalars(select(Customer)).all()) == 3
        with pytest.raises(LimitReached):
            create_customer(session, tenant, actor=None, business_name="D")
