"""The scheduler process: RQ's cron scheduler enqueueing the platform tasks on their intervals.

Run exactly one (`flask --app wsgi scheduler`). Interval schedules don't depend on the server's
timezone (RQ 3 reads cron strings in server local time); bakery-local times are worked out by
the dispatcher in code.
"""

from __future__ import annotations

from rq.cron import CronScheduler

from jobs.runtime import run
from jobs.schedule import PLATFORM_TASKS


def build_scheduler(connection) -> CronScheduler:
    """A cron scheduler on `connection` with every platform task registered."""
    scheduler = CronScheduler(connection=connection)
    for name, task in PLATFORM_TASKS.items():
        scheduler.register(
            run,
            task.queue,
            args=(task.path, None),
            interval=task.every_seconds,
            # Never let a backlog of scheduler ticks pile up behind a stopped worker.
            ttl=task.every_seconds * 5,
            result_ttl=task.every_seconds * 2,
            name=name,
        )
    return scheduler
