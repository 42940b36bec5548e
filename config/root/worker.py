"""The worker RQ's own command line starts: `rq worker -w config.root.worker.AppWorker`.

`jobs.worker.AppWorker` runs jobs in the app it is handed; this subclass hands it one, built by
the app factory from the environment (the same app `flask --app wsgi worker` builds).
"""

from __future__ import annotations

from config.root.app import create_app
from jobs.worker import AppWorker as JobsWorker


class AppWorker(JobsWorker):
    """A forking RQ worker whose jobs run in an app made by `create_app()`."""

    def make_app(self):
        return create_app()
