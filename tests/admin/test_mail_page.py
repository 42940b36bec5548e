"""Staff see their bakery's recent emails and resend failed ones; operators see failed jobs."""

from __future__ import annotations

from rq import Queue
from rq.job import Job

from tests.jobs.helpers import outbox_rows
from tests.support.factories import (
    add_outbound_email,
    add_staff,
    make_operator,
    sign_in_operator,
    sign_in_staff,
)


def test_staff_with_the_mail_permission_see_only_their_bakerys_emails(app, two_bakeries):
    north, south = two_bakeries
    add_outbound_email(app, north, to_email="north.buyer@example.com", status="sent")
    add_outbound_email(
        app,
        north,
        to_email="broken@example.com",
        status="failed",
        attempts=6,
        last_error="SMTPRecipientsRefused: 550 no such user",
    )
    add_outbound_email(app, south, to_email="south.buyer@example.com", status="failed")
    client = app.test_client()
    sign_in_staff(client, north)

    page = client.get(f"/admin/{north.slug}/mail")
    assert page.status_code == 200
    assert b"north.buyer@example.com" in page.data and b"broken@example.com" in page.data
    assert b"550 no such user" in page.data and b"Send again" in page.data
    assert b"south.buyer@example.com" not in page.data

    failed_only = client.get(f"/admin/{north.slug}/mail?status=failed")
    assert b"broken@example.com" in failed_only.data
    assert b"north.buyer@example.com" not in failed_only.data


def test_staff_without_the_mail_permission_are_refused(app, two_bakeries):
    north, _ = two_bakeries
    add_staff(app, north, email="sales@example.com", role="sales")
    client = app.test_client()
    sign_in_staff(client, north, "sales@example.com")
    assert client.get(f"/admin/{north.slug}/mail").status_code == 403
    failed = add_outbound_email(app, north, status="failed")
    assert client.post(f"/admin/{north.slug}/mail/{failed}/resend").status_code == 403


def test_only_a_failed_email_can_be_sent_again(app, mailbox, two_bakeries):
    north, _ = two_bakeries
    sent = add_outbound_email(app, north, status="sent")
    client = app.test_client()
    sign_in_staff(client, north)
    response = client.post(f"/admin/{north.slug}/mail/{sent}/resend", follow_redirects=True)
    assert b"Only a failed email can be sent again." in response.data
    assert mailbox.messages == []
    assert client.post(f"/admin/{north.slug}/mail/not-a-uuid/resend").status_code == 404


def test_operators_see_failed_jobs_of_every_bakery_and_retry_them(
    rq_app, work, redis_conn, two_bakeries
):
    north, south = two_bakeries
    for bakery in two_bakeries:
        Queue("default", connection=redis_conn).enqueue(
            "jobs.runtime.run",
            "tests.jobs.probe.explode",
            str(bakery.id),
            "disk full",
            job_id=f"explode-{bakery.slug}",
        )
    work()
    add_outbound_email(rq_app, south, status="failed")
    make_operator(rq_app)
    client = rq_app.test_client()
    sign_in_operator(client)

    page = client.get("/platform/jobs")
    assert page.status_code == 200
    assert page.data.count(b"tests.jobs.probe.explode") == 2
    assert b"North Bakery" in page.data and b"South Bakery" in page.data
    assert b"probe failed on purpose: disk full" in page.data
    failed_mail = page.data.split(b"Emails that failed")[1]
    assert b"South Bakery</a></td><td>1</td>" in failed_mail
    assert b"North Bakery" not in failed_mail

    # A form that does not validate (no CSRF token; the view's own check, not the global one)
    # retries nothing and records nothing.
    rq_app.config.update(WTF_CSRF_ENABLED=True, WTF_CSRF_CHECK_DEFAULT=False)
    try:
        assert client.post("/platform/jobs/explode-north-bakery/retry").status_code == 400
    finally:
        rq_app.config.update(WTF_CSRF_ENABLED=False, WTF_CSRF_CHECK_DEFAULT=True)
    assert Job.fetch("explode-north-bakery", connection=redis_conn).get_status() == "failed"
    assert _retries_audited(rq_app) == []

    assert client.post("/platform/jobs/explode-north-bakery/retry").status_code == 302
    job = Job.fetch("explode-north-bakery", connection=redis_conn)
    assert job.get_status() == "queued"
    assert Job.fetch("explode-south-bakery", connection=redis_conn).get_status() == "failed"
    assert client.post("/platform/jobs/no-such-job/retry").status_code == 404
    assert client.post("/platform/jobs/explode-north-bakery/retry").status_code == 404

    [entry] = _retries_audited(rq_app)
    assert (entry.actor, entry.tenant_id, entry.target) == (
        "ops@platform.example",
        north.id,
        "explode-north-bakery",
    )
    assert entry.details["path"] == "tests.jobs.probe.explode"
    audit_page = client.get("/platform/audit").get_data(as_text=True)
    assert "job.retry" in audit_page and "explode-north-bakery" in audit_page
    assert "explode-south-bakery" not in audit_page


def _retries_audited(app):
    from sqlalchemy import select

    from config.extensions import db
    from tenants.audit import AuditEntry

    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == "job.retry")).all()


def test_staff_cannot_reach_the_operators_jobs_page(app, two_bakeries):
    north, _ = two_bakeries
    client = app.test_client()
    sign_in_staff(client, north)
    response = client.get("/platform/jobs")
    assert response.status_code == 302 and "/platform/login" in response.location
    assert outbox_rows(app, north) == []


def test_the_jobs_page_still_answers_when_redis_is_down(app, two_bakeries):
    from jobs.backends import RQBackend

    _, south = two_bakeries
    add_outbound_email(app, south, status="failed")
    original = app.extensions["job_backend"]
    app.extensions["job_backend"] = RQBackend("redis://127.0.0.1:1/0")
    try:
        make_operator(app)
        client = app.test_client()
        sign_in_operator(client)
        page = client.get("/platform/jobs")
    finally:
        app.extensions["job_backend"] = original
    assert page.status_code == 200
    assert b"Redis is unreachable" in page.data
    assert b"South Bakery</a></td><td>1</td>" in page.data
