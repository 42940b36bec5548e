"""The real Redis for job tests: one DB (TEST_REDIS_URL, default DB 13), flushed per test.

Both xdist workers share that DB, so a test holding it takes a file lock first; tests that
don't use Redis never wait. Jobs run in an in-process burst worker (RQ's SimpleWorker) so they
see the test's transaction; tests of the forking worker build their own committed app.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from pathlib import Path

import pytest

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
QUEUES = ("mail", "default")


@pytest.fixture
def redis_conn():
    """A Redis connection to the flushed test DB, held exclusively for this test."""
    from redis import Redis

    digest = hashlib.sha256(TEST_REDIS_URL.encode()).hexdigest()[:12]
    lock_path = Path(tempfile.gettempdir()) / f"bakery-test-redis-{digest}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        conn = Redis.from_url(TEST_REDIS_URL)
        conn.flushdb()
        try:
            yield conn
        finally:
            conn.flushdb()
            conn.close()
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture
def rq_app(app, redis_conn):
    """The test app with jobs going to RQ on the test Redis; run them with `work()`."""
    from jobs import runtime
    from jobs.backends import RQBackend

    original = app.extensions["job_backend"]
    app.extensions["job_backend"] = RQBackend(TEST_REDIS_URL)
    runtime.use_app(app)
    try:
        yield app
    finally:
        app.extensions["job_backend"] = original
        runtime.use_app(None)


@pytest.fixture
def work(rq_app, redis_conn):
    """Run every queued job in an in-process burst worker; returns how many it ran."""
    from rq import SimpleWorker

    class CountingWorker(SimpleWorker):
        """Counts the jobs it performs in this process: RQ's own counters live in the worker's
        Redis hash, which a loaded machine was seen to read back as zero."""

        performed = 0

        def execute_job(self, job, queue):
            self.performed += 1
            return super().execute_job(job, queue)

    def run_queued() -> int:
        worker = CountingWorker(list(QUEUES), connection=redis_conn)
        worker.work(burst=True)
        return worker.performed

    return run_queued


def queued_count(redis_conn, queue: str = "mail") -> int:
    from rq import Queue

    return Queue(queue, connection=redis_conn).count
