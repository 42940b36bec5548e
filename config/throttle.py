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
# One client guessing at one account: the lock a person meets. It is per address, so guesses
# from elsewhere never lock the real person out of their account.
MAX_PER_ACCOUNT_AND_ADDRESS = 5
# One client guessing at many accounts.
MAX_PER_ADDRESS = 30
# Many clients guessing at one account (a botnet): slower, over a day, across all addresses.
ACCOUNT_WINDOW = timedelta(hours=24)
MAX_PER_ACCOUNT = 50


class SignInFailure(db.Model):
    """One failed sign-in (or token) attempt, keyed by a hashed account, address or pair key.

    `account_hash` names the account a pair row belongs to, so clearing an account (after a
    successful sign-in or password reset) also clears its failures from every address.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_key_at", "key_hash", "failed_at"),
        Index("ix_sign_in_failures_account", "account_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    account_hash: Mapped[str | None] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _pair(account: str, address: str) -> str:
    return f"pair:{account}|{address}"


def account_key(realm: str, scope: str, email: str) -> str:
    return f"account:{realm}:{scope}:{email.strip().lower()}"


def address_key(realm: str, address: str) -> str:
    return f"address:{realm}:{address}"


def _counts(session, keys: dict[str, datetime]) -> dict[str, int]:
    """{hashed key: failures since its own start time}."""
    counts = {}
    for key, since in keys.items():
        counts[key] = session.scalar(
            select(func.count()).where(
                SignInFailure.key_hash == key, SignInFailure.failed_at > since
            )
        )
    return counts


def is_throttled(session, *, account: str, address: str, now: datetime | None = None) -> bool:
    """True when this address tried this account too often, this address tried too many
    accounts, or this account was tried too often from everywhere together."""
    now = now or utcnow()
    pair, by_address, by_account = _hash(_pair(account, address)), _hash(address), _hash(account)
    counts = _counts(
        session, {pair: now - WINDOW, by_address: now - WINDOW, by_account: now - ACCOUNT_WINDOW}
    )
    return (
        counts[pair] >= MAX_PER_ACCOUNT_AND_ADDRESS
        or counts[by_address] >= MAX_PER_ADDRESS
        or counts[by_account] >= MAX_PER_ACCOUNT
    )


def record_failure(session, *, account: str, address: str, now: datetime | None = None) -> None:
    """Count one failure against the account, the address, and the two together."""
    now = now or utcnow()
    session.add_all(
        [
            SignInFailure(
                key_hash=_hash(_pair(account, address)), account_hash=_hash(account), failed_at=now
            ),
            SignInFailure(key_hash=_hash(account), account_hash=_hash(account), failed_at=now),
            SignInFailure(key_hash=_hash(address), failed_at=now),
        ]
    )
    _prune(session, now)


def _prune(session, now: datetime) -> None:
    # Old rows are noise; prune as we go so the table stays small without a cron job.
    session.execute(
        delete(SignInFailure).where(SignInFailure.failed_at < now - ACCOUNT_WINDOW - WINDOW)
    )


def clear_account(session, *, account: str) -> None:
    """Forget an account's failures, from every address, after it signed in successfully or
    its password was reset: the person who proved it is theirs is not locked out."""
    session.execute(delete(SignInFailure).where(SignInFailure.account_hash == _hash(account)))


def too_many(session, key: str, *, limit: int, window: timedelta, now: datetime | None = None):
    """Whether `key` (e.g. an address signing up) was counted `limit` times within `window`."""
    now = now or utcnow()
    return _counts(session, {_hash(key): now - window})[_hash(key)] >= limit


def count(session, key: str, *, now: datetime | None = None) -> None:
    """Count one event against `key` (see `too_many`)."""
    now = now or utcnow()
    session.add(SignInFailure(key_hash=_hash(key), failed_at=now))
    _prune(session, now)
