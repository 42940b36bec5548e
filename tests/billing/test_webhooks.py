"""The two webhook endpoints, signed for real: refusals, replays, out-of-order deliveries,
unknown accounts, and one bakery's event never reaching another."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from freezegun import freeze_time
from sqlalchemy import select

from tests.billing.conftest import tenant_row
from tests.support.factories import platform_session, tenant_session
from tests.support.stripe_fake import (
    account_object,
    event,
    post_event,
    subscription_object,
)

FROZEN = "2026-12-07 10:00:00"


def _platform_events(app):
    from billing.stripe_models import StripePlatformEvent

    with platform_session(app) as session:
        return {
            e.id: (e.type, e.status, e.outcome)
            for e in session.scalars(select(StripePlatformEvent))
        }


def _connect_events(app, bakery):
    from billing.stripe_models import StripeConnectEvent

    with tenant_session(app, bakery.id) as session:
        return {
            e.stripe_event_id: (e.type, e.status)
            for e in session.scalars(select(StripeConnectEvent))
        }


def test_without_stripe_the_endpoints_are_not_there(client):
    body = json.dumps(event("evt_1", "invoice.paid", {"id": "in_1"}))
    assert client.post("/webhooks/stripe/platform", data=body).status_code == 404
    assert client.post("/webhooks/stripe/connect", data=body).status_code == 404


@freeze_time(FROZEN)
def test_bad_signature_tampered_body_and_stale_timestamp_are_refused(
    app, client, stripe_fake, customers
):
    sub = stripe_fake.put(subscription_object("sub_n", "cus_north", "active", "price_pro"))
    good = event("evt_sig", "customer.subscription.updated", sub)
    payload = json.dumps(good)

    wrong_secret = post_event(client, "platform", payload, secret="whsec_someone_else")
    connect_secret_on_platform = post_event(
        client, "platform", payload, secret="whsec_connect_test"
    )
    signed = post_event.__globals__["stripe"].WebhookSignature.generate_signature_header(
        payload, "whsec_platform_test"
    )
    tampered = post_event(
        client, "platform", payload.replace('"active"', '"canceled"'), signature=signed
    )
    stale = post_event(client, "platform", payload, timestamp=int(time.time()) - 600)
    unsigned = client.post("/webhooks/stripe/platform", data=payload)

    for response in (wrong_secret, connect_secret_on_platform, tampered, stale, unsigned):
        assert response.status_code == 400
    assert _platform_events(app) == {}
    assert stripe_fake.calls == []
    # The same body, signed now with the right secret, is taken.
    assert post_event(client, "platform", payload).status_code == 200
    assert set(_platform_events(app)) == {"evt_sig"}


@freeze_time(FROZEN)
def test_a_replayed_event_is_stored_once_and_applied_once(app, client, stripe_fake, customers):
    north, south = customers
    stripe_fake.put(subscription_object("sub_n", "cus_north", "active", "price_ent"))
    body = event(
        "evt_replay", "customer.subscription.updated", {"id": "sub_n", "object": "subscription"}
    )

    first = post_event(client, "platform", body)
    again = post_event(client, "platform", body)

    assert first.status_code == again.status_code == 200
    assert first.json == {"received": True, "duplicate": False}
    assert again.json == {"received": True, "duplicate": True}
    assert _platform_events(app)["evt_replay"][1] == "applied"
    assert len(stripe_fake.of("GET", "/v1/subscriptions/sub_n")) == 1
    row = tenant_row(app, north)
    assert (row["subscription_status"], row["plan_code"]) == ("active", "enterprise")
    assert tenant_row(app, south)["stripe_subscription_id"] is None


@freeze_time(FROZEN)
def test_out_of_order_subscription_events_end_in_stripes_current_state(
    app, client, stripe_fake, customers
):
    north, _ = customers
    # Stripe has it cancelled by now; the older "created" and "updated" arrive after "deleted".
    stripe_fake.put(
        subscription_object("sub_n", "cus_north", "trialing", "price_pro", trial_end=1_797_000_000)
    )
    post_event(client, "platform", event("evt_1", "customer.subscription.created", {"id": "sub_n"}))
    stripe_fake.put(subscription_object("sub_n", "cus_north", "canceled", "price_pro"))
    deleted = event("evt_3", "customer.subscription.deleted", {"id": "sub_n"})
    updated_late = event("evt_2", "customer.subscription.updated", {"id": "sub_n"})
    paid_late = event("evt_0", "invoice.paid", {"id": "in_1"})
    stripe_fake.put(
        {
            "id": "in_1",
            "object": "invoice",
            "customer": "cus_north",
            "parent": {"subscription_details": {"subscription": "sub_n"}},
        }
    )

    for body in (deleted, updated_late, paid_late):
        assert post_event(client, "platform", body).status_code == 200

    row = tenant_row(app, north)
    assert row["subscription_status"] == "canceled"
    assert row["stripe_subscription_status"] == "canceled"
    assert row["effective_code"] == "starter"  # the fallback tier
    statuses = {k: v[1] for k, v in _platform_events(app).items()}
    assert statuses == {
        "evt_1": "applied",
        "evt_3": "applied",
        "evt_2": "applied",
        "evt_0": "applied",
    }


@freeze_time(FROZEN)
def test_an_old_subscriptions_late_event_does_not_end_the_new_one(
    app, client, stripe_fake, customers
):
    north, _ = customers
    stripe_fake.put(subscription_object("sub_old", "cus_north", "canceled", "price_pro"))
    stripe_fake.put(subscription_object("sub_new", "cus_north", "active", "price_ent"))
    post_event(
        client, "platform", event("evt_a", "customer.subscription.deleted", {"id": "sub_old"})
    )
    post_event(
        client, "platform", event("evt_b", "customer.subscription.created", {"id": "sub_new"})
    )
    post_event(
        client, "platform", event("evt_c", "customer.subscription.updated", {"id": "sub_old"})
    )
    row = tenant_row(app, north)
    assert (row["stripe_subscription_id"], row["subscription_status"], row["plan_code"]) == (
        "sub_new",
        "active",
        "enterprise",
    )


@freeze_time(FROZEN)
def test_connect_event_for_an_unknown_account_is_rejected_and_logged(
    app, client, stripe_fake, customers, caplog
):
    north, south = customers
    body = event(
        "evt_x", "account.updated", account_object("acct_stranger"), account="acct_stranger"
    )
    with caplog.at_level(logging.WARNING):
        response = post_event(client, "connect", body)
    assert response.status_code == 400
    assert "acct_stranger" in caplog.text
    assert _connect_events(app, north) == {} and _connect_events(app, south) == {}
    # A Connect event without an account at all is refused the same way.
    assert (
        post_event(client, "connect", event("evt_y", "account.updated", {"id": "x"})).status_code
        == 400
    )


@freeze_time(FROZEN)
def test_an_event_for_bakery_a_never_touches_bakery_b(app, client, stripe_fake, customers):
    north, south = customers
    stripe_fake.put(account_object("acct_north", charges=True, payouts=True))
    stripe_fake.put(account_object("acct_south", details_submitted=True, due=["external_account"]))
    body = event(
        "evt_acct",
        "account.updated",
        {"id": "acct_north", "object": "account"},
        account="acct_north",
    )

    assert post_event(client, "connect", body).status_code == 200

    assert _connect_events(app, north) == {"evt_acct": ("account.updated", "applied")}
    assert _connect_events(app, south) == {}
    assert tenant_row(app, north)["stripe_account_status"] == "active"
    south_row = tenant_row(app, south)
    assert (south_row["stripe_account_status"], south_row["stripe_account_due"]) == ("active", [])
    assert stripe_fake.of("GET", "/v1/accounts/acct_south") == []
    # The same event id for the other bakery's account is that bakery's own row.
    assert (
        post_event(
            client,
            "connect",
            {**body, "account": "acct_south", "data": {"object": {"id": "acct_south"}}},
        ).status_code
        == 200
    )
    assert _connect_events(app, south) == {"evt_acct": ("account.updated", "applied")}
    assert tenant_row(app, south)["stripe_account_status"] == "restricted"


@freeze_time(FROZEN)
def test_an_event_type_without_a_handler_is_kept_and_marked_ignored(
    app, client, stripe_fake, customers
):
    north, _ = customers
    # Payouts are the bakery's business with Stripe: no handler, kept and marked ignored.
    paid = event("evt_pi", "payout.paid", {"id": "po_1"}, account="acct_north")
    assert post_event(client, "connect", paid).status_code == 200
    assert _connect_events(app, north) == {"evt_pi": ("payout.paid", "ignored")}
    assert (
        post_event(
            client, "platform", event("evt_c", "customer.created", {"id": "cus_north"})
        ).status_code
        == 200
    )
    assert _platform_events(app)["evt_c"][1] == "ignored"
    assert stripe_fake.calls == []


@freeze_time(FROZEN)
def test_an_event_naming_no_bakerys_customer_is_kept_as_unmatched(
    app, client, stripe_fake, customers
):
    north, south = customers
    stripe_fake.put(subscription_object("sub_z", "cus_stranger", "active", "price_ent"))
    assert (
        post_event(
            client, "platform", event("evt_z", "customer.subscription.updated", {"id": "sub_z"})
        ).status_code
        == 200
    )
    assert _platform_events(app)["evt_z"][1] == "unmatched"
    assert (
        tenant_row(app, north)["plan_code"] == tenant_row(app, south)["plan_code"] == "professional"
    )


def test_stripe_timestamps_are_read_in_utc(app):
    from billing.plan_billing import _at

    assert _at(1_790_000_000) == datetime(2026, 9, 21, 14, 13, 20, tzinfo=UTC)
