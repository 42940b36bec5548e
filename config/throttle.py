"""Sign-in rate limiting, per account and per client address.

Failures are rows in the database rather than Redis counters: every web process sees the same
numbers, the embedded default needs no Redis, and a frozen clock in tests reaches them. Keys are
hashed so the table holds no email addresses.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Index, Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from config.clock import utcnow
from config.extensions import db
from config.types import UTCDateTime

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 30


class SignInFailure(db.Model):
    """One failed sign-in (or token) attempt, keyed by a hashed account or address key."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key_at", "key_hash", "failed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def account_key(realm: str, scope: str, email: str) -> str:
    return f"account:{realm}:{scope}:{email.strip().lower()}"


def address_key(realm: str, address: str) -> str:
    return f"address:{realm}:{address}"


def is_throttled(session, *, account: str, address: str, now: datetime | None = None) -> bool:
    """True when either key has too many recent failures."""
    now = now or utcnow()
    since = now - WINDOW
    counts = dict(
        session.execute(
            select(SignInFailure.key_hash, func.count())
            .where(
                SignInFailure.key_hash.in_([_hash(account), _hash(address)]),
                SignInFailure.failed_at > since,
            )
            .group_by(SignInFailure.key_hash)
        ).all()
    )
    return (
        counts.get(_hash(account), 0) >= MAX_PER_ACCOUNT
        or counts.get(_hash(address), 0) >= MAX_PER_ADDRESS
    )


def record_failure(session, *, account: str, address: str, now: datetime | None = None) -> None:
    """Count one failure against the account and the address."""
    now = now or utcnow()
    session.add_all(
        [
            SignInFailure(key_hash=_hash(account), failed_at=now),
            SignInFailure(key_hash=_hash(address), failed_at=now),
        ]
    )
    # Old rows are noise; prune as we go so the table stays small without a cron job.
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at < now - 4 * WINDOW))


def clear_account(session, *, account: str) -> None:
    """Forget an account's failures after it signs in successfully."""
    session.execute(delete(SignInFailure).where(SignInFailure.key_hash == _hash(account)))
