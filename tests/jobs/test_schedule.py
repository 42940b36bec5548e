"""The periodic dispatcher: each bakery's local time, once per occurrence, gated by tier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from rq import Queue
from sqlalchemy import func, select

from jobs import schedule
from jobs.schedule import Daily, Each, Hourly, TenantTask
from tests.jobs.helpers import outbox_rows, run_job
from tests.support.factories import (
    add_outbound_email,
    make_bakery,
    make_customer,
    platform_session,
    tenant_session,
)


def _set_timezone(app, bakery, timezone):
    from tenants.models import Tenant

    with platform_session(app) as session:
        session.get(Tenant, bakery.id).timezone = timezone


def _runs(app, bakery):
    from tenants.scheduled_runs import ScheduledRun

    with tenant_session(app, bakery.id) as session:
        return list(session.scalars(select(ScheduledRun.period).order_by(ScheduledRun.period)))


@pytest.fixture
def probe_task(monkeypatch):
    """Replace the tenant task registry with one daily 03:00 reminder."""
    tasks = {"probe": TenantTask("tests.jobs.probe.remind_owner", Daily(hour=3))}
    monkeypatch.setattr(schedule, "TENANT_TASKS", tasks)
    return tasks


@pytest.mark.parametrize(
    ("utc", "timezone", "expected"),
    [
        ("2026-11-23T03:05", "Europe/London", "2026-11-23T03:00"),
        ("2026-11-23T02:59", "Europe/London", None),
        ("2026-11-23T05:00", "Europe/London", None),  # past the two-hour window
        ("2026-11-23T14:05", "Pacific/Auckland", "2026-11-24T03:00"),  # UTC+13 in summer
        ("2026-07-01T02:30", "Europe/London", "2026-07-01T03:00"),  # BST: 03:30 local
        ("2026-11-23T01:30", "America/New_York", None),  # 20:30 the day before
        ("2026-11-23T08:10", "America/New_York", "2026-11-23T03:00"),
    ],
)
def test_a_daily_task_is_due_at_its_local_hour_in_each_timezone(utc, timezone, expected):
    now = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert TenantTask("x", Daily(hour=3)).due_occurrence(now, timezone) == expected


def test_a_weekly_task_is_due_only_on_its_local_weekday():
    monday_nine = TenantTask("x", Daily(hour=9, weekday=0))
    # Monday 09:30 in Auckland is Sunday 20:30 UTC.
    sunday_utc = datetime(2026, 11, 22, 20, 30, tzinfo=UTC)
    assert monday_nine.due_occurrence(sunday_utc, "Pacific/Auckland") == "2026-11-23T09:00"
    assert monday_nine.due_occurrence(sunday_utc, "Europe/London") is None
    assert monday_nine.due_occurrence(sunday_utc + timedelta(days=1), "Pacific/Auckland") is None


@pytest.mark.parametrize(
    ("utc", "timezone", "schedule", "expected"),
    [
        ("2026-11-23T10:20", "Europe/London", Hourly(), "2026-11-23T10:00"),
        ("2026-11-23T10:20", "Asia/Kolkata", Hourly(), "2026-11-23T15:00"),  # 15:50 local
        ("2026-11-23T10:20", "Europe/London", Hourly(minute=30), "2026-11-23T09:30"),
        ("2026-03-29T00:30", "Europe/London", Hourly(), "2026-03-29T00:00"),  # GMT still
        ("2026-03-29T01:10", "Europe/London", Hourly(), "2026-03-29T02:00"),  # BST: 02:10
    ],
)
def test_an_hourly_task_is_due_every_local_hour(utc, timezone, schedule, expected):
    now = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert TenantTask("x", schedule).due_occurrence(now, timezone) == expected


def _reminders(app, bakery):
    from tenants.customers.models import Customer, CustomerActivity

    with tenant_session(app, bakery.id) as session:
        return sorted(
            session.execute(
                select(Customer.business_name, CustomerActivity.summary)
                .join(CustomerActivity, CustomerActivity.customer_id == Customer.id)
                .where(CustomerActivity.action == "probe.reminded")
            ).all()
        )


def test_a_task_for_each_row_runs_once_per_row_at_the_rows_own_local_time(
    app, two_bakeries, monkeypatch
):
    north, south = two_bakeries
    _set_timezone(app, south, "Pacific/Auckland")
    make_customer(app, north, "Early Café 09:00")
    make_customer(app, north, "Late Café 11:00")
    make_customer(app, south, "Southern Café 09:00")
    task = TenantTask("tests.jobs.probe.remind_customer", Each("tests.jobs.probe.customer_times"))
    monkeypatch.setattr(schedule, "TENANT_TASKS", {"reminders": task})

    with freeze_time("2026-11-23 09:05:00"):  # 09:05 in London, 22:05 in Auckland
        assert run_job(app, "jobs.schedule.dispatch", None) == 2  # one tick per bakery
    with freeze_time("2026-11-23 09:40:00"):  # the same hour again: nothing runs twice
        assert run_job(app, "jobs.schedule.dispatch", None) == 2
    assert _reminders(app, north) == [("Early Café 09:00", "Reminded for 2026-11-23T09:00")]
    with freeze_time("2026-11-23 11:05:00"):
        run_job(app, "jobs.schedule.dispatch", None)
        # A retried tick job of an earlier hour reminds nobody a second time either.
        assert (
            run_job(app, "jobs.schedule.run_periodic", str(north.id), "reminders", "x-retry")
            == "ran"
        )
    assert _reminders(app, north) == [
        ("Early Café 09:00", "Reminded for 2026-11-23T09:00"),
        ("Late Café 11:00", "Reminded for 2026-11-23T11:00"),
    ]
    assert _reminders(app, south) == []  # 09:00 in Auckland is 20:00 UTC
    with freeze_time("2026-11-23 20:05:00"):  # 09:05 on the 24th in Auckland
        run_job(app, "jobs.schedule.dispatch", None)
    assert _reminders(app, south) == [("Southern Café 09:00", "Reminded for 2026-11-24T09:00")]
    assert len(_reminders(app, north)) == 2


def test_dispatch_runs_each_bakerys_task_at_its_local_hour_once_however_often_it_fires(
    rq_app, work, mailbox, redis_conn, two_bakeries, probe_task
):
    north, south = two_bakeries
    _set_timezone(rq_app, south, "Pacific/Auckland")

    with freeze_time("2026-11-23 03:05:00"):  # 03:05 in London, 16:05 in Auckland
        assert run_job(rq_app, "jobs.schedule.dispatch", None) == 1
        assert work() >= 1
    with freeze_time("2026-11-23 03:15:00"):  # the dispatcher fires again in the same hour
        assert run_job(rq_app, "jobs.schedule.dispatch", None) == 1
        assert work() >= 1
        # ...and a duplicate job under another id (a retry) changes nothing either.
        Queue("default", connection=redis_conn).enqueue(
            "jobs.runtime.run",
            "jobs.schedule.run_periodic",
            str(north.id),
            "probe",
            "2026-11-23T03:00",
            job_id="probe-duplicate",
        )
        work()
    assert _runs(rq_app, north) == ["2026-11-23T03:00"]
    assert _runs(rq_app, south) == []
    assert [m["Subject"] for m in mailbox.messages] == ["Time to order at North Bakery"]

    with freeze_time("2026-11-23 14:05:00"):  # 03:05 on the 24th in Auckland
        assert run_job(rq_app, "jobs.schedule.dispatch", None) == 1
        work()
    assert _runs(rq_app, south) == ["2026-11-24T03:00"]
    assert _runs(rq_app, north) == ["2026-11-23T03:00"]
    assert sorted(m["Subject"] for m in mailbox.messages) == [
        "Time to order at North Bakery",
        "Time to order at South Bakery",
    ]


def test_a_task_gated_by_a_feature_skips_bakeries_whose_tier_lacks_it(
    rq_app, work, mailbox, two_bakeries, monkeypatch
):
    north, _ = two_bakeries
    starter = make_bakery(rq_app, "starter-bakery", plan="starter")
    task = TenantTask("tests.jobs.probe.remind_owner", Daily(hour=3), feature="weekly_reminders")
    monkeypatch.setattr(schedule, "TENANT_TASKS", {"probe": task})
    with freeze_time("2026-11-23 03:05:00"):
        assert run_job(rq_app, "jobs.schedule.dispatch", None) == 2  # north and south
        work()
        # A job queued for the starter bakery anyway (e.g. before a downgrade) does nothing.
        assert (
            run_job(
                rq_app, "jobs.schedule.run_periodic", str(starter.id), "probe", "2026-11-23T03:00"
            )
            == "gated"
        )
    assert _runs(rq_app, starter) == []
    assert _runs(rq_app, north) == ["2026-11-23T03:00"]
    assert len(mailbox.messages) == 2


def test_the_scheduler_queues_the_relay_and_the_dispatcher_and_a_worker_runs_them(
    rq_app, work, mailbox, redis_conn, two_bakeries
):
    from jobs.cron import build_scheduler

    north, south = two_bakeries
    with freeze_time("2026-11-23 12:00:00"):
        add_outbound_email(rq_app, north, to_email="waiting@example.com")
    with freeze_time("2026-11-23 12:01:00"):
        scheduler = build_scheduler(redis_conn)
        assert {j.name for j in scheduler.get_jobs()} == set(schedule.PLATFORM_TASKS)
        # Every platform task is due on the scheduler's first pass.
        assert len(scheduler.enqueue_jobs()) == len(schedule.PLATFORM_TASKS)
        assert Queue("default", connection=redis_conn).count == len(schedule.PLATFORM_TASKS)
        work()
    assert [m["X-Envelope-To"] for m in mailbox.messages] == ["waiting@example.com"]
    assert [r["status"] for r in outbox_rows(rq_app, north)] == ["sent"]
    assert outbox_rows(rq_app, south) == []


def test_housekeeping_prunes_old_sent_mail_and_dead_tokens_of_its_own_bakery_only(
    app, two_bakeries
):
    from tenants.outbox import OutboundEmail
    from tenants.tokens import OneTimeToken, issue_token

    north, south = two_bakeries
    for bakery in two_bakeries:
        with freeze_time("2026-01-01 12:00:00"):
            add_outbound_email(
                app, bakery, status="sent", sent_at=datetime(2026, 1, 1, 12, tzinfo=UTC)
            )
            with tenant_session(app, bakery.id) as session:
                issue_token(
                    session, purpose="probe", subject_id=bakery.owner_id, ttl=timedelta(hours=2)
                )
        with freeze_time("2026-11-20 12:00:00"):
            add_outbound_email(
                app, bakery, status="sent", sent_at=datetime(2026, 11, 20, 12, tzinfo=UTC)
            )

    with freeze_time("2026-11-23 03:10:00"):
        assert (
            run_job(
                app, "jobs.schedule.run_periodic", str(north.id), "housekeeping", "2026-11-23T03:00"
            )
            == "ran"
        )

    def counts(bakery):
        with tenant_session(app, bakery.id) as session:
            return (
                session.scalar(select(func.count()).select_from(OutboundEmail)),
                session.scalar(select(func.count()).select_from(OneTimeToken)),
            )

    assert counts(north) == (1, 0)
    assert counts(south) == (2, 1)
