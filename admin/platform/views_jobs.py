"""Operators: failed background jobs across the platform, retry one; failed mail per bakery."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from redis.exceptions import RedisError

from admin.platform import bp, operator_required
from config.extensions import db
from config.forms import ConfirmForm
from jobs.failures import failed_jobs, retry_failed_job
from tenants import platform_admin as ops
from tenants.errors import NotFound
from tenants.outbox import failed_counts


def _redis():
    backend = current_app.extensions["job_backend"]
    return getattr(backend, "redis", None)


@bp.get("/jobs")
@operator_required
def jobs():
    redis = _redis()
    failed, redis_error = [], ""
    if redis is not None:
        try:
            failed = failed_jobs(redis)
        except RedisError as exc:  # the page still shows the outbox failures
            redis_error = f"{type(exc).__name__}: {exc}"
    bakeries = {row.tenant.id: row.tenant for row in ops.list_bakeries(db.session)}
    return render_template(
        "platform/jobs.html",
        redis_configured=redis is not None,
        redis_error=redis_error,
        failed=failed,
        mail_failures=sorted(failed_counts(db.session).items(), key=lambda kv: -kv[1]),
        bakeries=bakeries,
        confirm=ConfirmForm(),
    )


@bp.post("/jobs/<job_id>/retry")
@operator_required
def retry_job(job_id):
    ConfirmForm().validate_on_submit() or abort(400)
    redis = _redis()
    if redis is None:
        abort(404)
    try:
        retry_failed_job(db.session, redis, job_id, actor=current_user)
    except NotFound:
        abort(404)
    db.session.commit()
    flash("The job is back on its queue.")
    return redirect(url_for("platform.jobs"))
