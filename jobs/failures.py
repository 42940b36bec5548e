"""Failed RQ jobs across the platform, for operators: list them, retry one.

Job payloads are ids only ("jobs.runtime.run", path, tenant_id, ...), so this shows which job of
which bakery failed and the last line of its error, never the data it worked on.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job

from config.after_commit import after_commit
from jobs.worker import QUEUES
from tenants import audit
from tenants.errors import NotFound


@dataclass
class FailedJob:
    id: str
    queue: str
    path: str
    tenant_id: uuid.UUID | None
    args: tuple
    error: str
    ended_at: datetime | None


def _describe(job: Job, queue: str) -> FailedJob:
    args = tuple(job.args or ())
    path = str(args[0]) if args else job.func_name
    try:
        tenant_id = uuid.UUID(str(args[1])) if len(args) > 1 and args[1] else None
    except ValueError:
        tenant_id = None
    result = job.latest_result()
    error = ((result.exc_string if result else None) or "").strip().splitlines()
    return FailedJob(
        id=job.id,
        queue=queue,
        path=path,
        tenant_id=tenant_id,
        args=args[2:],
        error=error[-1] if error else "",
        ended_at=job.ended_at,
    )


def failed_jobs(connection, *, queues=QUEUES, limit: int = 200) -> list[FailedJob]:
    """The newest failed jobs of `queues`, newest first."""
    found: list[FailedJob] = []
    for name in queues:
        registry = Queue(name, connection=connection).failed_job_registry
        ids = registry.get_job_ids(0, limit - 1)
        for job in Job.fetch_many(ids, connection=connection):
            if job is not None:
                found.append(_describe(job, name))
    found.sort(key=lambda j: j.ended_at.timestamp() if j.ended_at else 0, reverse=True)
    return found[:limit]


def retry_failed_job(session, connection, job_id: str, *, actor, now=None) -> FailedJob:
    """Put a failed job back on its queue once `session` commits, recording who did it.

    NotFound if there is no such failed job. The audit entry commits first, so a retry is
    never unrecorded; should Redis refuse the requeue, the job stays failed and can be retried.
    """
    job = _failed_job(connection, job_id)
    if job is None:
        raise NotFound("No such failed job.")
    failed = _describe(job, job.origin)
    audit.record(
        session,
        actor=actor.email,
        action="job.retry",
        tenant_id=failed.tenant_id,
        target=failed.id,
        details={"queue": failed.queue, "path": failed.path, "error": failed.error},
        now=now,
    )
    session.flush()
    after_commit(session, _requeue, connection, job.id)
    return failed


def _failed_job(connection, job_id: str) -> Job | None:
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return None
    if job.origin not in QUEUES:
        return None
    if job.id not in Queue(job.origin, connection=connection).failed_job_registry:
        return None
    return job


def _requeue(connection, job_id: str) -> None:
    job = _failed_job(connection, job_id)
    if job is not None:  # another operator's retry may have been quicker
        Queue(job.origin, connection=connection).failed_job_registry.requeue(job)
