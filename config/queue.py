"""Hand a job to the workers: RQ when REDIS_URL is set, inline after commit otherwise.

Domain code never imports `jobs/`; it names a job by dotted path and its primitive arguments,
and `enqueue_after_commit` delivers it once the transaction commits.
"""

from __future__ import annotations

import importlib
import logging
import re

from flask import current_app

from config.after_commit import after_commit

log = logging.getLogger(__name__)
_JOB_ID_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def safe_job_id(*parts) -> str:
    """An RQ job id (letters, digits, '_' and '-' only) built from `parts`."""
    return _JOB_ID_SAFE.sub("-", "_".join(str(p) for p in parts))[:200]


def enqueue_after_commit(
    session, path: str, *args, queue: str = "default", job_id: str | None = None
):
    """Queue the job at dotted `path` with `args` once `session` commits."""
    app = current_app._get_current_object()
    after_commit(session, enqueue_now, app, path, *args, queue=queue, job_id=job_id)


def enqueue_now(app, path: str, *args, queue: str = "default", job_id: str | None = None) -> bool:
    """Queue (or, with no Redis configured, run) a job now. False if the broker is unreachable."""
    backend = app.extensions["job_backend"]
    return backend.enqueue(app, path, args, queue=queue, job_id=job_id)


def resolve(path: str):
    """Import the function at dotted `path`."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)
