"""The RQ worker: the default forking worker, with the app built once and no pool shared.

RQ forks a "work horse" per job. The child inherits the parent's SQLAlchemy pool, whose sockets
are the parent's; using them from two processes corrupts both. So the child throws its copy of
the pool away (`dispose(close=False)`: it must not close the parent's connections either) and
opens its own connections. The Redis client is fork-safe on its own (redis-py checks the pid).
"""

from __future__ import annotations

from rq import Worker

from config.extensions import db
from jobs.runtime import use_app, worker_app

QUEUES = ("mail", "default")
# Any text: looking one up loads each language's catalog in the parent (not a text to translate).
WARM_UP_TEXT = "Hello"


class AppWorker(Worker):
    """`flask --app wsgi worker` runs this class with its app; `rq worker -w
    config.root.worker.AppWorker` runs the subclass that builds one with the app factory."""

    def __init__(self, *args, app=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.app = app or self.make_app()
        use_app(self.app)
        warm_up(self.app)

    def make_app(self):
        """The app to run jobs in when none was given: the one this process already has."""
        return worker_app()

    def main_work_horse(self, job, queue):
        dispose_pool(self.app)
        super().main_work_horse(job, queue)


def warm_up(app) -> None:
    """Compile every template and load every translation catalog once, in the parent: each
    forked work horse inherits them instead of compiling the mail templates again for every
    job (measured: a cold mail job costs several times a warm one)."""
    from flask_babel import force_locale, gettext

    from tenants.locales import LOCALE_CHOICES

    with app.app_context():
        for name in app.jinja_env.list_templates(extensions=("html", "txt")):
            try:
                app.jinja_env.get_template(name)
            except Exception:  # noqa: BLE001, S112 - a broken template fails in its job, as before
                continue
        for code, _label in LOCALE_CHOICES:
            with force_locale(code):
                gettext(WARM_UP_TEXT)


def dispose_pool(app) -> None:
    """Forget the connections inherited across a fork without closing them for the parent."""
    with app.app_context():
        db.engine.dispose(close=False)


def build_worker(app, queues=QUEUES, *, connection=None) -> AppWorker:
    """A forking worker on `queues` of the app's Redis, running jobs in `app`."""
    connection = connection or app.extensions["job_backend"].redis
    return AppWorker(list(queues), connection=connection, app=app)
