"""A worker that dies between storing an event and applying it loses nothing: the relay offers
the event again and it is applied once. Runs on the real Redis with RQ."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from rq import Queue
from sqlalchemy import select

from tests.billing.conftest import tenant_row
from tests.support.factories import platform_session, tenant_session
from tests.support.stripe_fake import account_object, event, post_event, subscription_object

STORED = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
TRIAL_END = int(datetime(2026, 12, 10, 10, 0, tzinfo=UTC).timestamp())


def _relay(app, now):
    from jobs.runtime import execute

    with freeze_time(now):
        return execute(app, "jobs.stripe_relay.relay_stripe_events", None)


def _owner_mail(app, bakery):
    from tenants.outbox import OutboundEmail

    with tenant_session(app, bakery.id) as session:
        return [e.context.get("headline") for e in session.scalars(select(OutboundEmail))]


def _platform_status(app, event_id):
    from billing.stripe_models import StripePlatformEvent

    with platform_session(app) as session:
        return session.get(StripePlatformEvent, event_id).status


def _lose_queued_jobs(redis_conn):
    """What a worker killed mid-job leaves: the job gone from the queue, nothing committed."""
    for name in ("default", "mail"):
        Queue(name, connection=redis_conn).empty()


def test_a_platform_event_whose_worker_died_is_applied_later_once(
    rq_app, redis_conn, work, stripe_fake, customers
):
    north, south = customers
    stripe_fake.put(
        subscription_object("sub_n", "cus_north", "trialing", "price_pro", trial_end=TRIAL_END)
    )
    body = event("evt_trial", "customer.subscription.trial_will_end", {"id": "sub_n"})
    with freeze_time(STORED):
        assert post_event(rq_app.test_client(), "platform", body).status_code == 200
    assert Queue("default", connection=redis_conn).count == 1
    _lose_queued_jobs(redis_conn)
    assert _platform_status(rq_app, "evt_trial") == "pending"

    assert _relay(rq_app, STORED + timedelta(seconds=30)) == 0  # its own job may still run
    assert _relay(rq_app, STORED + timedelta(minutes=3)) == 1
    work()

    assert _platform_status(rq_app, "evt_trial") == "applied"
    assert _owner_mail(rq_app, north) == ["Your Professional trial ends on 10 December 2026"]
    assert _owner_mail(rq_app, south) == []
    row = tenant_row(rq_app, north)
    assert row["trial_ends_at"] == datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
    # Offered again (a second relay, a duplicate job): nothing is applied twice.
    assert _relay(rq_app, STORED + timedelta(minutes=10)) == 0
    from jobs.runtime import execute

    assert (
        execute(rq_app, "billing.stripe_events.apply_platform_event", None, "evt_trial")
        == "applied"
    )
    assert len(_owner_mail(rq_app, north)) == 1
    assert len(stripe_fake.of("GET", "/v1/subscriptions/sub_n")) == 1


def test_a_connect_event_whose_apply_crashed_is_applied_later_once(
    rq_app, redis_conn, work, stripe_fake, customers
):
    north, south = customers
    stripe_fake.put(account_object("acct_north", charges=True, payouts=True))
    body = event("evt_acct", "account.updated", {"id": "acct_north"}, account="acct_north")
    with freeze_time(STORED):
        assert post_event(rq_app.test_client(), "connect", body).status_code == 200
    # Stripe unreachable while the job runs (past the library's retries): the job fails, its
    # transaction rolls back, the event stays pending.
    stripe_fake.failures = [500, 500, 500]
    work()
    assert tenant_row(rq_app, north)["stripe_account_status"] == "onboarding"

    assert _relay(rq_app, STORED + timedelta(minutes=3)) == 1
    work()
    assert tenant_row(rq_app, north)["stripe_account_status"] == "active"
    assert _relay(rq_app, STORED + timedelta(minutes=6)) == 0
    assert tenant_row(rq_app, south)["stripe_account_status"] == "active"
    assert len(stripe_fake.of("GET", "/v1/accounts/acct_north")) == 4  # 3 refused, 1 applied
