"""How a job runs: in an app context, with its tenant re-read and its session bound to it.

RQ workers call `run`, the inline backend calls `execute`; both commit once at the end.
A suspended bakery's jobs do not run, unless the job is marked `handles_suspension` and
decides for itself (mail is held for later, periodic tasks record nothing).
"""

from __future__ import annotations

import logging
import uuid

from flask_babel import force_locale

from config.extensions import db
from config.i18n import english_for
from config.queue import resolve
from tenants.models import Tenant
from tenants.scoping import bind_tenant

log = logging.getLogger(__name__)
_worker_app = None


def handles_suspension(fn):
    """Mark job `fn` as checking its tenant's suspension itself, so it runs for one."""
    fn.handles_suspension = True
    return fn


def worker_app():
    """The app this process runs RQ jobs in, as the worker that started it handed it over.

    `jobs/` sits below the composition root, so it never builds an app itself: the worker
    (`flask --app wsgi worker`, or `config.root.worker.AppWorker`) passes one to `use_app`.
    """
    if _worker_app is None:
        raise RuntimeError(
            "No app to run jobs in: start workers with `flask --app wsgi worker` or "
            "`rq worker -w config.root.worker.AppWorker`."
        )
    return _worker_app


def use_app(app) -> None:
    """Run this process's RQ jobs in `app` (the worker command's app; tests' app)."""
    global _worker_app
    _worker_app = app


def run(path: str, tenant_id: str | None, *args):
    """The function RQ executes: run the job at `path` for `tenant_id` with `args`."""
    app = worker_app()
    return execute(app, path, tenant_id, *args)


def execute(app, path: str, tenant_id: str | None, *args):
    """Run one job in a fresh app context and session; commit once; roll back on error."""
    fn = resolve(path)
    with app.app_context():
        try:
            if tenant_id is None:
                result = fn(*args)
            else:
                tenant = db.session.get(Tenant, uuid.UUID(str(tenant_id)))
                if tenant is None:
                    log.warning("job %s skipped: tenant %s no longer exists", path, tenant_id)
                    return None
                if tenant.is_suspended and not getattr(fn, "handles_suspension", False):
                    log.info("job %s held: bakery %s is suspended", path, tenant_id)
                    return "suspended"
                bind_tenant(db.session, tenant.id)
                # What a job writes down for people (an import's errors, an order's notes) is read
                # in the back office too, so it is English the bakery's country's way, like the
                # back office; emails switch to the bakery's language when they render.
                with force_locale(english_for(tenant.locale)):
                    result = fn(tenant, *args)
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()
