"""Periodic work: one registry, one dispatcher, once per bakery and local occurrence.

Two kinds of periodic task:
- platform tasks run every few seconds or minutes for the whole platform (the outbox relay, the
  dispatcher itself); `flask --app wsgi scheduler` (RQ's cron scheduler) enqueues them;
- tenant tasks run at a local hour of each bakery (daily, or on a weekday). The dispatcher runs
  every few minutes, works out each bakery's local time in code (servers and RQ run in UTC),
  and enqueues one `run_periodic` job per bakery whose occurrence is due. That job claims
  (tenant, task, occurrence) in `scheduled_runs` before working, so a second dispatch, a
  duplicate RQ job or a retried one does no work twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from config.clock import utcnow
from config.extensions import db
from config.queue import enqueue_now, resolve, safe_job_id
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
class TenantTask:
    """A job `path(tenant, period=...)` due at `hour`:00 bakery time, daily or on `weekday`.

    `weekday` is 0 for Monday (None: every day). The occurrence stays due for `window` after
    its time, so a dispatcher that was down for a while still catches up within the window.
    `feature` gates the task by the bakery's tier (checked by the dispatcher and the job).
    """

    path: str
    hour: int
    weekday: int | None = None
    window: timedelta = timedelta(hours=2)
    feature: str | None = None
    queue: str = "default"

    def due_occurrence(self, now: datetime, timezone: str) -> str | None:
        """The local occurrence ("2026-11-23T03:00") due at UTC `now`, or None."""
        zone = ZoneInfo(timezone)
        local_today = now.astimezone(zone).date()
        # Yesterday's occurrence may still be inside its window just after local midnight.
        for day in (local_today, local_today - timedelta(days=1)):
            if self.weekday is not None and day.weekday() != self.weekday:
                continue
            scheduled = datetime.combine(day, time(self.hour), tzinfo=zone)
            # Compare in UTC: arithmetic between two datetimes of one zone ignores DST changes.
            late = now - scheduled.astimezone(ZoneInfo("UTC"))
            if timedelta(0) <= late < self.window:
                return scheduled.strftime("%Y-%m-%dT%H:%M")
        return None


PLATFORM_TASKS: dict[str, PlatformTask] = {
    "outbox_relay": PlatformTask("jobs.relay.relay_outbox", every_seconds=60),
    "dispatch": PlatformTask("jobs.schedule.dispatch", every_seconds=600),
}

# Later features add theirs here, e.g. the weekly order reminder:
#   "weekly_reminders": TenantTask("jobs.reminders.send_weekly", hour=9, weekday=0,
#                                  feature="weekly_reminders"),
TENANT_TASKS: dict[str, TenantTask] = {
    "housekeeping": TenantTask("jobs.housekeeping.prune", hour=3),
}


def periodic_job_id(task: str, tenant_id, period: str) -> str:
    return safe_job_id("periodic", task, tenant_id, period)


def dispatch(*, now: datetime | None = None) -> int:
    """Enqueue every tenant task whose local occurrence is due at `now`; returns how many."""
    now = now or utcnow()
    tenants = list(db.session.scalars(select(Tenant).where(Tenant.suspended_at.is_(None))))
    due = [
        (tenant.id, name, period)
        for tenant in tenants
        for name, task in TENANT_TASKS.items()
        if (period := task.due_occurrence(now, tenant.timezone))
        and (task.feature is None or has_feature(tenant, task.feature, now=now))
    ]
    db.session.commit()
    app = current_app._get_current_object()
    for tenant_id, name, period in due:
        enqueue_now(
            app,
            "jobs.schedule.run_periodic",
            str(tenant_id),
            name,
            period,
            queue=TENANT_TASKS[name].queue,
            job_id=periodic_job_id(name, tenant_id, period),
        )
    return len(due)


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
    resolve(task.path)(tenant, period=period)
    return "ran"
