"""A bakery's nightly housekeeping: drop delivered mail and dead tokens past their usefulness."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_

from config.clock import utcnow
from config.extensions import db
from tenants.outbox import OutboundEmail
from tenants.tokens import OneTimeToken

KEEP_SENT_MAIL = timedelta(days=90)
KEEP_DEAD_TOKENS = timedelta(days=30)


def prune(tenant, *, period: str) -> dict[str, int]:
    """Delete this bakery's sent mail older than 90 days and tokens dead for 30 days."""
    now = utcnow()
    mail = db.session.execute(
        delete(OutboundEmail)
        .where(OutboundEmail.status == "sent", OutboundEmail.sent_at < now - KEEP_SENT_MAIL)
        .execution_options(synchronize_session=False)
    )
    cutoff = now - KEEP_DEAD_TOKENS
    tokens = db.session.execute(
        delete(OneTimeToken)
        .where(
            or_(
                OneTimeToken.expires_at < cutoff,
                OneTimeToken.used_at < cutoff,
                OneTimeToken.revoked_at < cutoff,
            )
        )
        .execution_options(synchronize_session=False)
    )
    return {"mail": mail.rowcount, "tokens": tokens.rowcount}
