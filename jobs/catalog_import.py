"""The CSV import job: validates and applies one import run of any kind (catalog, customers)."""

from __future__ import annotations

import logging

from config.clock import utcnow
from config.extensions import db
from tenants.catalog.imports import get_run, process_run

log = logging.getLogger(__name__)


def run_import(tenant, run_id: str):
    """Process import run `run_id`; progress is committed as it goes so the page can show it.

    Safe to run twice (a finished run is left alone). An unexpected error marks the run failed
    in its own transaction, so the page never waits forever.
    """
    try:
        run = process_run(db.session, tenant, run_id, checkpoint=db.session.commit)
        return run.status
    except Exception:
        log.exception("import run %s failed", run_id)
        db.session.rollback()
        run = get_run(db.session, run_id)
        run.status = "failed"
        run.errors = [
            {
                "row": 0,
                "column": "",
                "reason": "The import stopped unexpectedly; "
                "nothing was imported. Try again or contact support.",
            }
        ]
        run.finished_at = utcnow()
        db.session.commit()
        raise
