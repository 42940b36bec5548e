"""Security notices: a person hears by email when their password changes, so a change they
did not make does not go unnoticed. Through the outbox, like every email."""

from __future__ import annotations

from datetime import datetime

from tenants.outbox import queue_email


def password_changed(
    session, tenant, *, email: str, name: str, reset_url: str, now: datetime | None = None
):
    """Queue the "your password was changed" notice to `email`; `reset_url` is where to go
    when it was not them (the realm's "forgot password" page)."""
    return queue_email(
        session,
        tenant,
        to_email=email,
        to_name=name,
        template="password_changed",
        context={"name": name, "reset_url": reset_url, "recipient_email": email},
        now=now,
    )
