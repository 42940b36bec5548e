"""The worker RQ's own command line starts builds its app with the app factory; `jobs/` never
builds one itself."""

from __future__ import annotations

import pytest

from config.extensions import db
from tests.support import databases
from tests.support.queues import TEST_REDIS_URL


@pytest.fixture
def no_worker_app():
    from jobs import runtime

    runtime.use_app(None)
    yield
    runtime.use_app(None)


def test_the_rq_command_line_worker_builds_its_app_from_the_environment(
    monkeypatch, pg_database, redis_conn, no_worker_app
):
    from config.root.worker import AppWorker
    from jobs import runtime

    url = databases.url(databases.APP_ROLE, pg_database)
    for name, value in {
        "APP_ENV": "test",
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": url,
        "REDIS_URL": TEST_REDIS_URL,
    }.items():
        monkeypatch.setenv(name, value)
    worker = AppWorker(["default"], connection=redis_conn)
    try:
        assert worker.app.config["SETTINGS"].database_url.endswith(pg_database)
        # Jobs the work horses run use the same app.
        assert runtime.worker_app() is worker.app
    finally:
        with worker.app.app_context():
            db.engine.dispose()


def test_a_job_process_without_an_app_says_how_to_start_a_worker(no_worker_app):
    from jobs import runtime

    with pytest.raises(RuntimeError, match="flask --app wsgi worker"):
        runtime.run("tests.jobs.probe.backend_pid", None)
