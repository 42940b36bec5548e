"""The forking worker: each work horse opens its own database connections.

These tests use an app of their own on the committed test database (not the per-test
transaction of the `app` fixture, which a forked process could not share anyway).
"""

from __future__ import annotations

import pytest
from rq import Queue
from rq.job import Job
from sqlalchemy import text

from config.extensions import db
from tests.support import databases
from tests.support.queues import TEST_REDIS_URL


@pytest.fixture
def worker_app(pg_database, redis_conn):
    from config.root.app import create_app
    from jobs import runtime
    from tests.conftest import make_settings

    app = create_app(
        make_settings(databases.url(databases.APP_ROLE, pg_database), REDIS_URL=TEST_REDIS_URL)
    )
    yield app
    runtime.use_app(None)
    with app.app_context():
        db.engine.dispose()


def _parent_backend_pid(app) -> int:
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def test_a_forked_work_horse_never_uses_the_parents_pooled_connection(worker_app, redis_conn):
    from jobs.worker import build_worker

    parent_pid = _parent_backend_pid(worker_app)  # now pooled in the parent
    Queue("default", connection=redis_conn).enqueue(
        "jobs.runtime.run", "tests.jobs.probe.backend_pid", None, job_id="fork-probe"
    )
    worker = build_worker(worker_app, connection=redis_conn)
    worker.work(burst=True)

    job = Job.fetch("fork-probe", connection=redis_conn)
    assert job.get_status() == "finished", job.exc_info
    child_pid = job.return_value()
    assert child_pid != parent_pid
    # The parent's pooled connection survived the child intact and is handed out again.
    assert _parent_backend_pid(worker_app) == parent_pid


def test_the_worker_command_runs_the_mail_and_default_queues_in_burst_mode(worker_app, redis_conn):
    for queue in ("mail", "default"):
        Queue(queue, connection=redis_conn).enqueue(
            "jobs.runtime.run", "tests.jobs.probe.backend_pid", None, job_id=f"cli-{queue}"
        )
    result = worker_app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    for queue in ("mail", "default"):
        assert Job.fetch(f"cli-{queue}", connection=redis_conn).get_status() == "finished"


def test_the_worker_command_explains_that_it_needs_redis(pg_database):
    from config.root.app import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(databases.url(databases.APP_ROLE, pg_database)))
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output
