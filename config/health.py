"""Load balancer probes: /healthz (the process answers) and /readyz (its dependencies do)."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from config.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    checks: dict[str, str] = {}
    ok = True
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # report, don't crash: the balancer only needs the status code
        ok = False
        checks["database"] = f"error: {type(exc).__name__}"
    backend = current_app.extensions["job_backend"]
    if hasattr(backend, "ping"):
        try:
            backend.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            ok = False
            checks["redis"] = f"error: {type(exc).__name__}"
    return jsonify(status="ok" if ok else "unavailable", checks=checks), (200 if ok else 503)
