"""The outbox relay: offer every due email to the mail queue again.

Requests queue a delivery job right after they commit; this periodic job is what makes mail
survive a Redis outage at that moment, a failed attempt waiting for its backoff, or a worker
that died mid-send. Offering a row twice is harmless: the RQ backend skips a job id that is still
waiting, and `deliver_email` claims the row before sending.

CSV import runs ride along: a run still queued minutes after its upload lost its job (Redis was
down then), so it is offered again under the same job id; the import job claims the run.
"""

from __future__ import annotations

from datetime import datetime

from config.clock import utcnow
from config.extensions import db
from jobs.fanout import Job, fan_out
from tenants.catalog.imports import JOB as IMPORT_JOB
from tenants.catalog.imports import import_job_id, stalled_runs
from tenants.outbox import delivery_job_id, due_emails


def relay_outbox(*, now: datetime | None = None) -> int:
    """Queue a job for every due outbox row and every import whose job was lost; returns how
    many."""
    now = now or utcnow()
    rows = due_emails(db.session, now=now)
    imports = stalled_runs(db.session, now=now)
    return fan_out(
        [
            Job(
                "jobs.mail.deliver_email",
                (str(tenant_id), str(email_id)),
                queue="mail",
                job_id=delivery_job_id(email_id, attempts),
            )
            for tenant_id, email_id, attempts in rows
        ]
        + [
            Job(IMPORT_JOB, (str(tenant_id), str(run_id)), job_id=import_job_id(run_id))
            for tenant_id, run_id in imports
        ]
    )
