"""Single-use tokens (invitations, password resets, magic links).

The raw token goes to the person once (in an email link); only its SHA-256 is stored. Consuming is
one atomic `UPDATE ... WHERE used_at IS NULL AND expires_at > :now RETURNING`, so two clicks, a mail
scanner and a racing request cannot all win.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import Index, String, UniqueConstraint, Uuid, select, update
from sqlalchemy.orm import Mapped, mapped_column

from config.clock import utcnow
from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime


class OneTimeToken(TenantOwned, db.Model):
    """A hashed, expiring, single-use token for one subject (a staff user, a contact...)."""

    __tablename__ = "one_time_tokens"
    __table_args__ = (
        UniqueConstraint("tenant_id", "token_hash"),
        Index("ix_one_time_tokens_subject", "tenant_id", "purpose", "subject_id"),
    )

    purpose: Mapped[str] = mapped_column(String(40), nullable=False)
    subject_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(
    session,
    *,
    purpose: str,
    subject_id: uuid.UUID,
    ttl: timedelta,
    now: datetime | None = None,
    revoke_previous: bool = True,
) -> tuple[str, OneTimeToken]:
    """Create a token; returns (raw token for the link, stored row). Older ones are revoked."""
    now = now or utcnow()
    if revoke_previous:
        revoke_tokens(session, purpose=purpose, subject_id=subject_id, now=now)
    raw = secrets.token_urlsafe(32)
    row = OneTimeToken(
        purpose=purpose, subject_id=subject_id, token_hash=hash_token(raw), expires_at=now + ttl
    )
    session.add(row)
    session.flush()
    return raw, row


def revoke_tokens(session, *, purpose: str, subject_id: uuid.UUID, now: datetime | None = None):
    """Make every live token of this purpose for this subject unusable."""
    now = now or utcnow()
    session.execute(
        update(OneTimeToken)
        .where(
            OneTimeToken.purpose == purpose,
            OneTimeToken.subject_id == subject_id,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def revoke_all_tokens(session, *, subject_id: uuid.UUID, now: datetime | None = None) -> None:
    """Make every live token of this subject unusable, whatever its purpose: a disabled
    account or a new password must leave no reset, invitation or sign-in link working."""
    now = now or utcnow()
    session.execute(
        update(OneTimeToken)
        .where(
            OneTimeToken.subject_id == subject_id,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def peek_token(session, raw: str, *, purpose: str, now: datetime | None = None):
    """The live token row for `raw`, without using it (for the GET 'Continue' page), or None."""
    now = now or utcnow()
    return session.scalar(
        select(OneTimeToken).where(
            OneTimeToken.token_hash == hash_token(raw),
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.revoked_at.is_(None),
            OneTimeToken.expires_at > now,
        )
    )


def consume_token(session, raw: str, *, purpose: str, now: datetime | None = None):
    """Use `raw` once: returns its subject id, or None if unknown, used, revoked or expired."""
    now = now or utcnow()
    return session.scalar(
        update(OneTimeToken)
        .where(
            OneTimeToken.token_hash == hash_token(raw),
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.revoked_at.is_(None),
            OneTimeToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(OneTimeToken.subject_id)
        .execution_options(synchronize_session=False)
    )
