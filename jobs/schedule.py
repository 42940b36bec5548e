"""Periodic work: one registry, one dispatcher, once per bakery and local occurrence.

Two kinds of periodic task:
- platform tasks run every few seconds or minutes for the whole platform (the outbox relay, the
  dispatcher itself); `flask --app wsgi scheduler` (RQ's cron scheduler) enqueues them;
- tenant tasks run for each bakery on its schedule in bakery time: `Daily` (at a local time,
  every day or on a weekday), `Hourly`, or `Each` (at times the bakery's rows set: each delivery
  day's cut-off, each customer's own reminder day and time). The dispatcher runs every few
  minutes, works out each bakery's local time in code (servers and RQ run in UTC), and enqueues
  one `run_periodic` job per bakery whose occurrence is due. That job claims (tenant, task,
  occurrence) in `scheduled_runs` before working (an `Each` task also claims each row's
  "<time>/<row id>"), so a second dispatch, a duplicate RQ job or a retried one does no work
  twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from config.clock import at_bakery, utcnow
from config.extensions import db
from config.queue import resolve, safe_job_id
from jobs.fanout import Job, fan_out
from tenants.models import Tenant
from tenants.plans import has_feature
from tenants.scheduled_runs import claim_run

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlatformTask:
    """A platform-wide job (`path()`, no tenant) run every `every_seconds`."""

    path: str
    every_seconds: int
    queue: str = "default"


@dataclass(frozen=True)
class Daily:
    """At `hour`:`minute` bakery time, every day or on `weekday` (0 for Monday)."""

    hour: int
    minute: int = 0
    weekday: int | None = None

    def times(self, local_now: datetime) -> Iterator[datetime]:
        """The schedule's latest times up to a day before `local_now`, newest first."""
        today = local_now.date()
        # Yesterday's occurrence may still be inside its window just after local midnight.
        for day in (today, today - timedelta(days=1)):
            if self.weekday is None or day.weekday() == self.weekday:
                yield datetime.combine(day, time(self.hour, self.minute), tzinfo=local_now.tzinfo)


@dataclass(frozen=True)
class Hourly:
    """Every hour, at `minute` past the hour bakery time."""

    minute: int = 0

    def times(self, local_now: datetime) -> Iterator[datetime]:
        """The schedule's latest times up to `local_now`, newest first."""
        latest = local_now.replace(minute=self.minute, second=0, microsecond=0)
        if latest > local_now:
            latest -= timedelta(hours=1)
        # Step back in UTC: an hour of wall clock is not an hour of time across a DST change.
        start = latest.astimezone(UTC)
        for hours in range(3):
            yield (start - timedelta(hours=hours)).astimezone(local_now.tzinfo)


@dataclass(frozen=True)
class Each:
    """At times each of a bakery's rows sets: each delivery day's cut-off, each customer's own
    day and time for a reminder.

    `source` is the dotted path of `source(session, tenant, *, since, until)`, which yields
    `(subject_id, at)` for each row whose time `at` (aware) falls in `since < at <= until`. The
    bakery's rows are looked at on every `tick`; each (row, time) runs once, claimed in
    `scheduled_runs` as "<local time>/<subject id>".
    """

    source: str
    tick: Hourly = field(default_factory=Hourly)

    def times(self, local_now: datetime) -> Iterator[datetime]:
        return self.tick.times(local_now)


Schedule = Daily | Hourly | Each


@dataclass(frozen=True)
class TenantTask:
    """A job `path(tenant, period=...)` run for each bakery `when` its schedule says.

    The occurrence stays due for `window` after its time, so a dispatcher that was down for a
    while still catches up within the window. `feature` gates the task by the bakery's tier
    (checked by the dispatcher and the job). A task on an `Each` schedule is called once per
    row and time, as `path(tenant, period=..., subject=...)`.
    """

    path: str
    when: Schedule
    window: timedelta = timedelta(hours=2)
    feature: str | None = None
    queue: str = "default"

    def due_occurrence(self, now: datetime, timezone: str) -> str | None:
        """The local occurrence ("2026-11-23T03:00") due at UTC `now`, or None."""
        for scheduled in self.when.times(now.astimezone(ZoneInfo(timezone))):
            # Compare in UTC: arithmetic between two datetimes of one zone ignores DST changes.
            late = now - scheduled.astimezone(UTC)
            if timedelta(0) <= late < self.window:
                return occurrence_label(scheduled)
        return None


def occurrence_label(local: datetime) -> str:
    """How `scheduled_runs` names an occurrence: its local wall-clock time."""
    return local.strftime("%Y-%m-%dT%H:%M")


PLATFORM_TASKS: dict[str, PlatformTask] = {
    "outbox_relay": PlatformTask("jobs.relay.relay_outbox", every_seconds=60),
    "dispatch": PlatformTask("jobs.schedule.dispatch", every_seconds=600),
    "stripe_relay": PlatformTask("jobs.stripe_relay.relay_stripe_events", every_seconds=60),
}

# Later features add theirs here, e.g.
#   "weekly_reminders": TenantTask("jobs.reminders.send", Each("tenants.customers.reminders.due"),
#                                  feature="weekly_reminders"),  # each customer's day and time
#   "cut_off": TenantTask("jobs.orders.close_day", Each("tenants.orders.calendar.cut_offs")),
#   "hourly": TenantTask("jobs.something.tick", Hourly()),
TENANT_TASKS: dict[str, TenantTask] = {
    "housekeeping": TenantTask("jobs.housekeeping.prune", Daily(hour=3)),
    "weekly_reminders": TenantTask(
        "jobs.reminders.send", Each("tenants.orders.reminders.due"), feature="weekly_reminders"
    ),
    "back_in_stock": TenantTask("jobs.reminders.back_in_stock", Hourly(minute=5)),
    "standing_orders": TenantTask("jobs.standing.generate", Hourly(), feature="standing_orders"),
    "standing_previews": TenantTask("jobs.standing.previews", Hourly(), feature="standing_orders"),
    "invoicing": TenantTask("jobs.invoicing.run", Hourly(minute=5)),
    "payment_reminders": TenantTask("jobs.receivables.send_payment_reminders", Daily(hour=8)),
    "statements": TenantTask("jobs.receivables.send_statements", Daily(hour=8, minute=30)),
    "autopay": TenantTask("jobs.autopay.charge_due", Daily(hour=9), feature="online_payments"),
    "stripe_reconcile": TenantTask("jobs.stripe_relay.reconcile_with_stripe", Daily(hour=4)),
    # Not gated by `online_payments`: a bakery that lost the feature still has its card
    # orders released rather than left waiting.
    "card_sweep": TenantTask("jobs.card_checkout.sweep", Hourly(minute=20)),
}


def periodic_job_id(task: str, tenant_id, period: str) -> str:
    return safe_job_id("periodic", task, tenant_id, period)


def dispatch(*, now: datetime | None = None) -> int:
    """Enqueue every tenant task whose local occurrence is due at `now`; returns how many."""
    now = now or utcnow()
    tenants = list(db.session.scalars(select(Tenant).where(Tenant.suspended_at.is_(None))))
    return fan_out(
        [
            Job(
                "jobs.schedule.run_periodic",
                (str(tenant.id), name, period),
                queue=task.queue,
                job_id=periodic_job_id(name, tenant.id, period),
            )
            for tenant in tenants
            for name, task in TENANT_TASKS.items()
            if (period := task.due_occurrence(now, tenant.timezone))
            and (task.feature is None or has_feature(tenant, task.feature, now=now))
        ]
    )


def run_periodic(tenant, name: str, period: str, *, now: datetime | None = None) -> str:
    """Run tenant task `name` for `period` unless it already ran (or the tier lost it)."""
    task = TENANT_TASKS.get(name)
    if task is None:
        log.warning("periodic task %s is no longer registered", name)
        return "unknown"
    if tenant.is_suspended:
        return "suspended"
    if task.feature and not has_feature(tenant, task.feature, now=now):
        return "gated"
    if not claim_run(db.session, tenant, task=name, period=period, now=now):
        return "already-ran"
    # The claim and the task's work commit together (the runtime commits once).
    if isinstance(task.when, Each):
        _run_each(tenant, name, task, now=now or utcnow())
    else:
        resolve(task.path)(tenant, period=period)
    return "ran"


def _run_each(tenant, name: str, task: TenantTask, *, now: datetime) -> None:
    """Run `task` for each row whose time came within the window, each (row, time) once."""
    rows = resolve(task.when.source)(db.session, tenant, since=now - task.window, until=now)
    for subject, at in rows:
        period = occurrence_label(at_bakery(at, tenant))
        key = f"{period}/{subject}"
        if claim_run(db.session, tenant, task=name, period=key, now=now):
            resolve(task.path)(tenant, period=period, subject=str(subject))
