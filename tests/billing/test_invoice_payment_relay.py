"""A worker killed after a buyer's payment event is stored and before it is applied loses no
payment: the relay offers the stored event again and the payment is recorded once. Real Redis
and RQ, as in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from rq import Queue

from tests.billing.test_invoice_payments import (  # noqa: F401 - fixtures
    completed_session,
    fee,
    invoice_state,
    pay,
    payers,
    stripe_payments,
    succeed,
)
from tests.support.stripe_fake import event, post_event

STORED = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _relay(app, now):
    from jobs.runtime import execute

    with freeze_time(now):
        return execute(app, "jobs.stripe_relay.relay_stripe_events", None)


def test_a_payment_event_whose_worker_died_is_applied_later_once(
    rq_app,
    redis_conn,
    work,
    stripe_fake,
    payers,  # noqa: F811
):
    north, south = payers
    client = rq_app.test_client()
    with freeze_time(STORED):
        pay(client, south)
        meta = succeed(stripe_fake, stripe_fake.of("POST", "/v1/checkout/sessions")[0])
        completed_session(stripe_fake, "cs_test1", "pi_1", meta)
        body = event("evt_pi", "payment_intent.succeeded", {"id": "pi_1"}, account="acct_south")
        assert post_event(client, "connect", body).status_code == 200
    # The worker that took the job was killed: the job is gone, nothing was committed.
    Queue("default", connection=redis_conn).empty()
    assert work() == 0
    assert stripe_payments(rq_app, south) == []

    assert _relay(rq_app, STORED + timedelta(minutes=3)) == 1
    work()
    assert stripe_payments(rq_app, south) == [("pi_1", 15_450, False)]
    assert all(balance == 0 for _, balance in invoice_state(rq_app, south).values())
    # Later relays and a late duplicate change nothing.
    assert _relay(rq_app, STORED + timedelta(minutes=6)) == 0
    with freeze_time(STORED + timedelta(minutes=7)):
        assert post_event(client, "connect", body).get_json()["duplicate"] is True
    work()
    assert stripe_payments(rq_app, south) == [("pi_1", 15_450, False)]
    assert stripe_payments(rq_app, north) == []
