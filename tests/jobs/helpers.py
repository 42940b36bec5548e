"""Shared steps of the job tests: invite someone through the back office, read outbox rows."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.factories import PASSWORD, tenant_session


def invite(client, bakery, *, email="new.baker@example.com", name="New Baker", **kwargs):
    """Sign in as the bakery's owner and invite `email` through the team page."""
    signed_in = client.post(
        f"/admin/{bakery.slug}/login",
        data={"email": bakery.owner_email, "password": PASSWORD},
        **kwargs,
    )
    assert signed_in.status_code == 302, signed_in.data[:500]
    response = client.post(
        f"/admin/{bakery.slug}/staff",
        data={"name": name, "email": email, "role": "sales"},
        **kwargs,
    )
    assert response.status_code == 302, response.data[:500]
    assert response.location.endswith(f"/admin/{bakery.slug}/staff"), response.location
    return response


def outbox_rows(app, bakery):
    """The bakery's outbox rows as plain dicts, oldest first."""
    from tenants.outbox import OutboundEmail

    with tenant_session(app, bakery.id) as session:
        rows = session.scalars(select(OutboundEmail).order_by(OutboundEmail.created_at))
        return [
            {
                "id": r.id,
                "tenant_id": r.tenant_id,
                "to": r.to_email,
                "status": r.status,
                "attempts": r.attempts,
                "last_error": r.last_error,
                "next_attempt_at": r.next_attempt_at,
                "subject": r.subject,
            }
            for r in rows
        ]


def run_job(app, path, *args):
    """Run one job the way a worker does (fresh app context, tenant re-read, one commit)."""
    from jobs.runtime import execute

    return execute(app, path, *args)


def relay(app):
    return run_job(app, "jobs.relay.relay_outbox", None)
