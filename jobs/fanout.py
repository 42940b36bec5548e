"""Fan-out: hand out one job per bakery or per row, after the read that found them.

Periodic jobs (the outbox relay, the schedule dispatcher, reminders, dunning) all read what is
due and then queue one job for each. `fan_out` is that second half, once: it ends the read
transaction before handing out work (inline jobs open sessions of their own, and a long read
transaction would hold back vacuum and the jobs' own writes), then queues the jobs a batch at a
time, so a generator of jobs reading page by page is consumed as it goes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from flask import current_app

from config.extensions import db
from config.queue import enqueue_now

BATCH_SIZE = 500


@dataclass(frozen=True)
class Job:
    """One job to queue: the dotted `path`, its primitive `args`, its queue and job id."""

    path: str
    args: tuple = ()
    queue: str = "default"
    job_id: str | None = None


def _batches(items: Iterable, size: int) -> Iterator[list]:
    # itertools.batched arrives in Python 3.12; the project supports 3.11.
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def fan_out(jobs: Iterable[Job], *, batch_size: int = BATCH_SIZE) -> int:
    """Queue every job of `jobs`; returns how many were handed out.

    The session's transaction ends before each batch is queued; a job id still waiting in RQ is
    not queued twice (see `RQBackend`), so fanning out the same rows again is harmless.
    """
    app = current_app._get_current_object()
    count = 0
    for batch in _batches(jobs, batch_size):
        # Whatever read this batch (a lazy `jobs` reads page by page) ends before it is queued.
        db.session.commit()
        for job in batch:
            enqueue_now(app, job.path, *job.args, queue=job.queue, job_id=job.job_id)
        count += len(batch)
    if not count:
        db.session.commit()
    return count
