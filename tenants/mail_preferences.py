"""Recipients' choices about reminder and marketing mail, per bakery and email address.

Transactional mail (invitations, resets, order confirmations, invoices) always goes out. Mail of
an opt-out category carries a signed preferences link (no account needed, no expiry: an
unsubscribe link has to keep working) and is not sent to an address that opted out.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from config.clock import utcnow
from config.extensions import db
from tenants.base import TenantOwned

# Categories a recipient can opt out of; anything else is transactional.
OPT_OUT_CATEGORIES: dict[str, str] = {
    "reminders": "Reminders to place your order",
    "marketing": "News and offers",
}
# Categories a staff member (with orders_view) can opt IN to; off until they switch them on.
OPT_IN_CATEGORIES: dict[str, str] = {
    "new_orders": "An email for each new order a customer places",
}
_SALT = "mail-preferences"


class EmailOptOut(TenantOwned, db.Model):
    """An address's choice against one category's default at one bakery: for an opt-out
    category the row means "stop sending", for an opt-in category (OPT_IN_CATEGORIES) "send"."""

    __tablename__ = "email_opt_outs"
    __table_args__ = (UniqueConstraint("tenant_id", "email", "category"),)

    email: Mapped[str] = mapped_column(String(254), nullable=False)
    category: Mapped[str] = mapped_column(String(20), nullable=False)


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def preferences_token(secret_key: str, tenant_id, email: str) -> str:
    """A signed token naming (bakery, address); the preferences page trusts only this."""
    return _serializer(secret_key).dumps({"t": str(tenant_id), "e": email.strip().lower()})


def read_preferences_token(secret_key: str, token: str) -> tuple[uuid.UUID, str] | None:
    """(tenant id, email) from a token, or None if it was not signed by us."""
    try:
        data = _serializer(secret_key).loads(token)
        return uuid.UUID(data["t"]), str(data["e"])
    except (BadSignature, KeyError, ValueError, TypeError):
        return None


def preferences_url(base_url: str, secret_key: str, tenant, email: str) -> str:
    """The absolute link to `email`'s preferences page at `tenant` (built from BASE_URL)."""
    token = preferences_token(secret_key, tenant.id, email)
    return f"{base_url}/mail/{tenant.slug}/preferences/{token}"


def opted_out(session, email: str, category: str) -> bool:
    """Whether `email` opted out of `category` at the session's bakery."""
    return (
        session.scalar(
            select(EmailOptOut.id).where(
                EmailOptOut.email == email.strip().lower(), EmailOptOut.category == category
            )
        )
        is not None
    )


def opted_out_categories(session, email: str) -> set[str]:
    """The categories `email` opted out of at the session's bakery."""
    rows = session.scalars(
        select(EmailOptOut.category).where(EmailOptOut.email == email.strip().lower())
    )
    return set(rows)


def opted_in_emails(session, category: str) -> set[str]:
    """The addresses that switched opt-in `category` on at the session's bakery."""
    if category not in OPT_IN_CATEGORIES:
        raise ValueError(f"not an opt-in category: {category!r}")
    return set(session.scalars(select(EmailOptOut.email).where(EmailOptOut.category == category)))


def set_preferences(
    session,
    tenant,
    *,
    email: str,
    unsubscribed: set[str],
    subscribed: set[str] | None = None,
    now: datetime | None = None,
) -> set[str]:
    """Make `unsubscribed` the categories `email` opts out of at `tenant` and, when given,
    `subscribed` the opt-in categories it switched on (None leaves those as they are);
    returns the opt-outs."""
    email = email.strip().lower()
    current = opted_out_categories(session, email)
    wanted = {c for c in unsubscribed if c in OPT_OUT_CATEGORIES}
    opt_ins = current & set(OPT_IN_CATEGORIES) if subscribed is None else subscribed
    wanted_rows = wanted | {c for c in opt_ins if c in OPT_IN_CATEGORIES}
    _store(session, tenant, email, current, wanted_rows, now)
    return wanted


def _store(session, tenant, email, current: set[str], wanted: set[str], now) -> None:
    # Add and delete rows so that `email`'s rows become exactly `wanted`.
    for category in wanted - current:
        session.add(
            EmailOptOut(
                tenant_id=tenant.id, email=email, category=category, created_at=now or utcnow()
            )
        )
    if current - wanted:
        session.execute(
            delete(EmailOptOut)
            .where(EmailOptOut.email == email, EmailOptOut.category.in_(current - wanted))
            .execution_options(synchronize_session=False)
        )
    session.flush()
