"""Operators: failed background jobs across the platform, retry one; failed mail per bakery."""

from flask import abort, current_app, flash, redirect, render_template, url_for

from admin.forms import ConfirmForm
from admin.platform import bp, operator_required
from config.extensions import db
from tenants import platform_admin as ops
from tenants.outbox import failed_counts


def _redis():
    backend = current_app.extensions["job_backend"]
    return getattr(backend, "redis", None)


@bp.get("/jobs")
@operator_required
def jobs():
    from jobs.failures import failed_jobs

    redis = _redis()
    bakeries = {row.tenant.id: row.tenant for row in ops.list_bakeries(db.session)}
    return render_template(
        "platform/jobs.html",
        redis_configured=redis is not None,
        failed=failed_jobs(redis) if redis is not None else [],
        mail_failures=sorted(failed_counts(db.session).items(), key=lambda kv: -kv[1]),
        bakeries=bakeries,
        confirm=ConfirmForm(),
    )


@bp.post("/jobs/<job_id>/retry")
@operator_required
def retry_job(job_id):
    from jobs.failures import retry_failed_job

    redis = _redis()
    if redis is None or not retry_failed_job(redis, job_id):
        abort(404)
    ConfirmForm().validate_on_submit() or abort(400)
    flash("The job is back on its queue.")
    return redirect(url_for("platform.jobs"))
