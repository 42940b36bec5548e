"""Composition root: the one package that sees every other and wires them into an app.

`create_app` (the Flask factory), the `flask` CLI commands, the worker's app factory, model
discovery and the demo data live here, above `portal/`, `admin/` and `jobs/`; nothing imports it
but the entry points (`wsgi.py`, `rq worker -w config.root.worker.AppWorker`) and tests.
"""

from config.root.app import create_app

__all__ = ["create_app"]
