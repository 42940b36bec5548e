"""Stripe events that were stored but never applied are offered to the workers again.

The job queued when an event arrives can be lost (Redis down at that moment) or die with its
worker; the event row stays pending either way. Every minute this relay queues a job for each
event still pending after a couple of minutes, under the same job id as the first; the job
applies an event once however often it is offered (billing.stripe_events).
"""

from __future__ import annotations

from datetime import datetime

from billing.stripe_events import (
    CONNECT_JOB,
    PLATFORM_JOB,
    connect_job_id,
    pending_connect_events,
    pending_platform_events,
    platform_job_id,
)
from config.clock import utcnow
from config.extensions import db
from jobs.fanout import Job, fan_out


def relay_stripe_events(*, now: datetime | None = None) -> int:
    """Queue the apply job of every event pending too long; returns how many."""
    now = now or utcnow()
    platform = pending_platform_events(db.session, now=now)
    connect = pending_connect_events(db.session, now=now)
    return fan_out(
        [
            Job(PLATFORM_JOB, (None, event_id), job_id=platform_job_id(event_id))
            for event_id in platform
        ]
        + [
            Job(CONNECT_JOB, (str(tenant_id), str(row_id)), job_id=connect_job_id(row_id))
            for tenant_id, row_id in connect
        ]
    )


def reconcile_with_stripe(tenant, *, period: str) -> None:
    """The nightly task: the bakery's subscription and connected account as Stripe has them;
    what it corrects is in the audit log."""
    from billing.connect import reconcile_account
    from billing.plan_billing import reconcile_subscription

    reconcile_subscription(db.session, tenant)
    reconcile_account(db.session, tenant)
