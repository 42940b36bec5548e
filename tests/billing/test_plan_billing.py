"""The bakery's subscription state follows Stripe's, and the tier in force follows the state
(trial, past-due grace, cancel at period end); the nightly reconcile corrects drift and says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tests.billing.conftest import set_stripe, tenant_row
from tests.support.factories import platform_session
from tests.support.stripe_fake import account_object, subscription_object

NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
PERIOD_END = int(datetime(2027, 1, 7, tzinfo=UTC).timestamp())


def _apply(app, bakery, sub, now):
    from billing.plan_billing import apply_subscription
    from tenants.models import Tenant

    with platform_session(app) as session:
        return apply_subscription(session, session.get(Tenant, bakery.id), sub, now=now)


def _effective(app, bakery, now):
    from tenants.models import Tenant
    from tenants.plans import effective_plan

    with platform_session(app) as session:
        return effective_plan(session.get(Tenant, bakery.id), now=now).code


def test_past_due_keeps_the_tier_through_the_grace_then_falls_back(app, customers):
    north, south = customers
    sub = subscription_object("sub_n", "cus_north", "past_due", "price_ent", period_end=PERIOD_END)
    _apply(app, north, sub, NOW)
    _apply(app, north, sub, NOW + timedelta(days=2))  # a repeat keeps the first date
    row = tenant_row(app, north)
    assert row["past_due_since"] == NOW
    assert _effective(app, north, NOW + timedelta(days=6)) == "enterprise"
    assert _effective(app, north, NOW + timedelta(days=8)) == "starter"
    _apply(app, north, {**sub, "status": "active"}, NOW + timedelta(days=9))
    assert tenant_row(app, north)["past_due_since"] is None
    assert _effective(app, north, NOW + timedelta(days=9)) == "enterprise"
    assert tenant_row(app, south)["plan_code"] == "professional"


def test_cancel_at_period_end_keeps_the_tier_until_the_end(app, customers):
    north, _ = customers
    sub = subscription_object(
        "sub_n",
        "cus_north",
        "active",
        "price_ent",
        period_end=PERIOD_END,
        cancel_at_period_end=True,
    )
    _apply(app, north, sub, NOW)
    end = datetime(2027, 1, 7, tzinfo=UTC)
    assert tenant_row(app, north)["current_period_end"] == end
    assert _effective(app, north, end - timedelta(minutes=1)) == "enterprise"
    # The "deleted" webhook is late: the tier lapses at the period's end all the same.
    assert _effective(app, north, end + timedelta(minutes=1)) == "starter"


def test_an_incomplete_first_checkout_leaves_the_trial_alone(app, customers):
    north, _ = customers
    _apply(app, north, subscription_object("sub_n", "cus_north", "incomplete", "price_ent"), NOW)
    row = tenant_row(app, north)
    assert (row["subscription_status"], row["stripe_subscription_status"]) == (
        "trialing",
        "incomplete",
    )
    assert row["plan_code"] == "professional"  # Enterprise only once the payment goes through
    _apply(app, north, subscription_object("sub_n", "cus_north", "active", "price_ent"), NOW)
    assert tenant_row(app, north)["effective_code"] == "enterprise"


def test_nightly_reconcile_corrects_drift_and_records_it(app, stripe_fake, customers):
    from jobs.runtime import execute
    from tenants.audit import AuditEntry
    from tenants.audit_log import audit_lines

    north, south = customers
    # Our row says active on Professional; Stripe says past due on Enterprise (webhooks lost).
    set_stripe(
        app,
        north,
        stripe_subscription_id="sub_n",
        stripe_subscription_status="active",
        subscription_status="active",
    )
    stripe_fake.put(
        subscription_object("sub_n", "cus_north", "past_due", "price_ent", period_end=PERIOD_END)
    )
    # North finished Connect onboarding, and its account.updated webhook was lost too.
    stripe_fake.put(account_object("acct_north", charges=True, payouts=True))
    stripe_fake.put(account_object("acct_south", charges=True, payouts=True))
    # South never heard of the subscription it started: reconcile adopts it.
    stripe_fake.put(
        subscription_object("sub_s", "cus_south", "active", "price_ent", period_end=PERIOD_END)
    )

    with freeze_time(NOW):
        for bakery in (north, south):
            assert (
                execute(
                    app,
                    "jobs.schedule.run_periodic",
                    str(bakery.id),
                    "stripe_reconcile",
                    "2026-12-07T04:00",
                )
                == "ran"
            )

    row = tenant_row(app, north)
    assert (row["subscription_status"], row["plan_code"], row["past_due_since"]) == (
        "past_due",
        "enterprise",
        NOW,
    )
    assert row["stripe_account_status"] == "active"
    assert (
        tenant_row(app, south)["stripe_subscription_id"],
        tenant_row(app, south)["plan_code"],
    ) == ("sub_s", "enterprise")
    with platform_session(app) as session:
        entries: dict = {}
        for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "tenant.stripe_reconcile")
        ):
            entries.setdefault(e.tenant_id, {}).update(e.details["corrected"])
        assert entries[north.id]["subscription_status"] == ["active", "past_due"]
        assert entries[north.id]["plan_id"] == ["professional", "enterprise"]
        assert entries[south.id]["stripe_subscription_id"] == ["", "sub_s"]
        assert "stripe_account_status" not in entries[south.id]
        assert entries[north.id]["stripe_account_status"] == ["onboarding", "active"]
        sentences = [
            line.sentence
            for line in audit_lines(session, tenant_id=north.id, action="tenant.stripe_reconcile")
        ]
        assert any("subscription_status active -> past_due" in s for s in sentences)
        assert all("corrected North Bakery to match Stripe" in s for s in sentences)

    # Nothing drifted since: the next night records nothing.
    with freeze_time(NOW + timedelta(days=1)):
        execute(
            app, "jobs.schedule.run_periodic", str(north.id), "stripe_reconcile", "2026-12-08T04:00"
        )
    with platform_session(app) as session:
        count = len(
            list(
                session.scalars(
                    select(AuditEntry).where(
                        AuditEntry.action == "tenant.stripe_reconcile",
                        AuditEntry.tenant_id == north.id,
                    )
                )
            )
        )
    assert count == 2  # last night's subscription and account corrections, none new


def test_reconcile_without_stripe_does_nothing(app, customers):
    from billing.plan_billing import reconcile_subscription
    from tenants.models import Tenant

    north, _ = customers
    with platform_session(app) as session:
        assert reconcile_subscription(session, session.get(Tenant, north.id)) == {}
