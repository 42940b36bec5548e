"""The outbox loses nothing: Redis down, SMTP refusing, workers dying mid-send."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import text

from jobs.backends import RQBackend
from jobs.mail import BACKOFF, MAX_ATTEMPTS, SUSPENDED_HOLD
from tests.jobs.helpers import invite, outbox_rows, relay, run_job
from tests.support.factories import (
    add_outbound_email,
    make_operator,
    sign_in_operator,
    sign_in_staff,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_request_succeeds_while_redis_is_down_and_the_relay_sends_the_mail_later(
    rq_app, mailbox, work, two_bakeries
):
    north, south = two_bakeries
    working = rq_app.extensions["job_backend"]
    rq_app.extensions["job_backend"] = RQBackend("redis://127.0.0.1:1/0")  # nothing listens
    invite(rq_app.test_client(), north)  # asserts the redirect: the request succeeded
    [row] = outbox_rows(rq_app, north)
    assert row["status"] == "pending" and mailbox.messages == []

    rq_app.extensions["job_backend"] = working  # Redis is back
    assert relay(rq_app) == 1
    assert work() == 1
    assert len(mailbox.messages) == 1
    assert mailbox.messages[0]["To"].endswith("<new.baker@example.com>")
    # Later relay runs find nothing more to do: no second copy.
    assert relay(rq_app) == 0
    assert work() == 0
    assert len(mailbox.messages) == 1
    assert outbox_rows(rq_app, south) == []


def test_the_relay_does_not_queue_a_delivery_that_is_still_waiting_in_redis(
    rq_app, redis_conn, work, mailbox, two_bakeries
):
    from rq import Queue

    north, _ = two_bakeries
    invite(rq_app.test_client(), north)  # queued after commit, no worker running yet
    assert relay(rq_app) == 1  # offered again...
    assert Queue("mail", connection=redis_conn).count == 1  # ...but not queued twice
    assert work() == 1 and len(mailbox.messages) == 1


def test_smtp_refusals_are_retried_with_backoff_then_marked_failed_and_resent_once(
    app, mailbox, two_bakeries
):
    north, south = two_bakeries
    mailbox.refuse = True
    with freeze_time(T0) as clock:
        invite(app.test_client(), north)  # inline backend: first attempt right after commit
        [row] = outbox_rows(app, north)
        assert (row["status"], row["attempts"]) == ("pending", 1)
        assert row["next_attempt_at"] == T0 + BACKOFF[0]
        assert "451" in row["last_error"]

        clock.tick(BACKOFF[0] - timedelta(seconds=1))
        assert relay(app) == 0  # not due yet
        for attempt in range(2, MAX_ATTEMPTS + 1):
            clock.tick(BACKOFF[attempt - 2] + timedelta(seconds=1))
            assert relay(app) == 1
            [row] = outbox_rows(app, north)
            assert row["attempts"] == attempt
        assert row["status"] == "failed" and row["next_attempt_at"] is None
        clock.tick(timedelta(days=1))
        assert relay(app) == 0  # failed rows wait for a person
    assert mailbox.messages == []

    mailbox.refuse = False
    client = app.test_client()
    sign_in_staff(client, north)
    response = client.post(f"/admin/{north.slug}/mail/{row['id']}/resend")
    assert response.status_code == 302
    assert len(mailbox.messages) == 1
    [row] = outbox_rows(app, north)
    assert (row["status"], row["attempts"]) == ("sent", 1)
    assert relay(app) == 0
    assert len(mailbox.messages) == 1
    assert outbox_rows(app, south) == []


def test_a_recovered_smtp_server_gets_exactly_one_copy(app, mailbox, two_bakeries):
    north, south = two_bakeries
    mailbox.refuse = True
    with freeze_time(T0) as clock:
        invite(app.test_client(), north)
        clock.tick(BACKOFF[0])
        assert relay(app) == 1
        mailbox.refuse = False
        clock.tick(BACKOFF[1])
        assert relay(app) == 1
        for _ in range(3):
            clock.tick(timedelta(hours=4))
            assert relay(app) == 0
    assert len(mailbox.messages) == 1
    [row] = outbox_rows(app, north)
    assert (row["status"], row["attempts"]) == ("sent", 3)
    # The link in the one email that arrived works (its token is the live one).
    assert outbox_rows(app, south) == []


def test_a_claim_left_by_a_dead_worker_is_retried_once_it_is_stale(app, mailbox, two_bakeries):
    north, south = two_bakeries
    with freeze_time(T0) as clock:
        stuck = add_outbound_email(
            app, north, status="sending", attempts=1, claimed_at=T0, to_email="stuck@example.com"
        )
        add_outbound_email(
            app, south, status="sending", attempts=1, claimed_at=T0, to_email="stuck@example.com"
        )
        clock.tick(timedelta(minutes=5))
        assert relay(app) == 0  # a live worker may still be sending it
        clock.tick(timedelta(minutes=11))
        assert relay(app) == 2
    assert len(mailbox.messages) == 2
    statuses = {r["id"]: r["status"] for r in outbox_rows(app, north)}
    assert statuses == {stuck: "sent"}


def test_the_relay_finds_due_mail_of_every_bakery_that_the_app_role_cannot_read_directly(
    app, two_bakeries
):
    from config.extensions import db
    from tenants.outbox import due_emails

    north, south = two_bakeries
    with freeze_time(T0):
        due_north = add_outbound_email(app, north)
        due_south = add_outbound_email(app, south)
        add_outbound_email(app, north, status="sent")
        add_outbound_email(app, south, status="failed")
        add_outbound_email(app, north, next_attempt_at=T0 + timedelta(minutes=5))  # backing off
    with freeze_time(T0 + timedelta(seconds=1)), app.app_context():
        rows = due_emails(db.session)
        visible = db.session.execute(text("SELECT count(*) FROM outbound_emails")).scalar()
    found = {(tenant_id, email_id) for tenant_id, email_id, _ in rows}
    assert found == {(north.id, due_north), (south.id, due_south)}
    assert visible == 0  # row-level security hides every bakery's rows from the app role


def _suspend(operator, bakery):
    response = operator.post(f"/platform/bakeries/{bakery.id}/suspend", data={"reason": "Unpaid"})
    assert response.status_code == 302
    assert operator.get(f"/admin/{bakery.slug}/login").status_code != 200  # the suspended page


def test_a_suspended_bakerys_mail_is_held_and_goes_out_once_after_reactivation(
    app, mailbox, two_bakeries
):
    north, south = two_bakeries
    make_operator(app)
    operator = app.test_client()
    with freeze_time(T0) as clock:
        sign_in_operator(operator)
        _suspend(operator, north)
        held = add_outbound_email(app, north, to_email="held@example.com")
        add_outbound_email(app, south, to_email="sent@example.com")

        assert relay(app) == 2
        # The platform's suspension notice reaches the owner at once; the bakery's mail waits.
        assert [m["X-Envelope-To"] for m in mailbox.messages] == [
            "owner@example.com",
            "sent@example.com",
        ]
        assert "North Bakery is suspended" in mailbox.messages[0]["Subject"]
        [row] = [r for r in outbox_rows(app, north) if r["to"] == "held@example.com"]
        assert (row["status"], row["attempts"]) == ("pending", 0)  # not claimed, not counted
        assert row["next_attempt_at"] == T0 + SUSPENDED_HOLD
        # A job that reaches the row anyway (a duplicate, a stale offer) holds it again.
        assert run_job(app, "jobs.mail.deliver_email", str(north.id), str(held)) == "held"
        clock.tick(timedelta(minutes=10))
        assert relay(app) == 0  # the relay does not spin on held mail

        reactivated = operator.post(f"/platform/bakeries/{north.id}/reactivate")
        assert reactivated.status_code == 302
        clock.tick(SUSPENDED_HOLD)
        assert relay(app) == 1
        clock.tick(SUSPENDED_HOLD)
        assert relay(app) == 0
    north_mail = [m for m in mailbox.messages if m["X-Envelope-To"] == "held@example.com"]
    assert len(north_mail) == 1
    [row] = [r for r in outbox_rows(app, north) if r["to"] == "held@example.com"]
    assert (row["status"], row["attempts"]) == ("sent", 1)


def test_a_suspended_bakerys_other_jobs_do_not_run(app, two_bakeries):
    north, south = two_bakeries
    make_operator(app)
    operator = app.test_client()
    sign_in_operator(operator)
    _suspend(operator, north)
    # The probe job always raises: it is not even started for the suspended bakery.
    assert run_job(app, "tests.jobs.probe.explode", str(north.id), "north") == "suspended"
    with pytest.raises(RuntimeError, match="south"):
        run_job(app, "tests.jobs.probe.explode", str(south.id), "south")
