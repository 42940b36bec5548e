"""Server-side records of signed-in sessions, so signing out really ends a session.

A sign-in writes one record and puts a random secret in the (signed) cookie; only the secret's
SHA-256 is stored. Every request's identity must match a live record: signing out ends it, so a
copy of the cookie taken earlier is anonymous from then on, wherever it is replayed. A session
lapses after `IDLE_LIFETIME` without use and, however busy, `ABSOLUTE_LIFETIME` after sign-in.

Staff and buyers are people of one bakery, so their records are tenant-owned (row-level security
applies); operators belong to no bakery and have their own platform table.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import Index, String, Uuid, and_, bindparam, select, update
from sqlalchemy.orm import Mapped, mapped_column

from config.clock import utcnow
from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime, new_id

IDLE_LIFETIME = timedelta(days=30)
ABSOLUTE_LIFETIME = timedelta(days=90)
# "Last seen" is written at most this often, so browsing does not write on every request.
TOUCH_EVERY = timedelta(minutes=5)


class _SessionColumns:
    realm: Mapped[str] = mapped_column(String(20), nullable=False)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    address: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    @property
    def device(self) -> str:
        """A person-readable name for the browser, e.g. "Firefox on Windows"."""
        return describe_device(self.user_agent)


class SignInSession(_SessionColumns, TenantOwned, db.Model):
    """One signed-in session of a staff user or a buyer at one bakery."""

    __tablename__ = "sign_in_sessions"
    __table_args__ = (
        Index("ix_sign_in_sessions_secret", "tenant_id", "secret_hash", unique=True),
        Index("ix_sign_in_sessions_user", "tenant_id", "realm", "user_id"),
    )


class OperatorSession(_SessionColumns, db.Model):
    """One signed-in session of a platform operator."""

    __tablename__ = "operator_sessions"
    __table_args__ = (Index("ix_operator_sessions_user", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)


def _model(realm: str):
    return OperatorSession if realm == "operator" else SignInSession


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(
    session,
    *,
    realm: str,
    user_id: uuid.UUID,
    user_agent: str = "",
    address: str = "",
    now: datetime | None = None,
) -> str:
    """Record a new signed-in session of `user_id` in `realm`; returns the cookie's secret."""
    now = now or utcnow()
    secret = secrets.token_urlsafe(32)
    session.add(
        _model(realm)(
            realm=realm,
            user_id=user_id,
            secret_hash=_hash(secret),
            started_at=now,
            last_seen_at=now,
            user_agent=(user_agent or "")[:300],
            address=(address or "")[:64],
        )
    )
    session.flush()
    return secret


def _live(model, now: datetime):
    return (
        model.ended_at.is_(None),
        model.last_seen_at > now - IDLE_LIFETIME,
        model.started_at > now - ABSOLUTE_LIFETIME,
    )


def signed_in_select(user_entity, *, realm: str):
    """select(user, record): the user whose id is the parameter `signed_in_user_id`, with the
    live record of theirs the cookie's secret names (not ended, not idle for too long, not past
    its absolute lifetime), joined, so a request loads the signed-in person and checks their
    session in one statement. No row: no such user, or no live session.

    Built once per realm (its loader keeps it); each request passes `signed_in_params`."""
    model = _model(realm)
    return (
        select(user_entity, model)
        .join(
            model,
            and_(
                model.secret_hash == bindparam("signed_in_secret_hash"),
                model.realm == realm,
                model.user_id == user_entity.id,
                model.ended_at.is_(None),
                model.last_seen_at > bindparam("signed_in_idle_since"),
                model.started_at > bindparam("signed_in_started_since"),
            ),
        )
        .where(user_entity.id == bindparam("signed_in_user_id"))
    )


def signed_in_params(user_id: uuid.UUID, secret: str, now: datetime | None = None) -> dict:
    """The parameters of a `signed_in_select` for this user and cookie secret at `now`."""
    now = now or utcnow()
    return {
        "signed_in_user_id": user_id,
        "signed_in_secret_hash": _hash(secret),
        "signed_in_idle_since": now - IDLE_LIFETIME,
        "signed_in_started_since": now - ABSOLUTE_LIFETIME,
    }


def needs_touch(record, now: datetime | None = None) -> bool:
    """Whether `record`'s last-seen time is old enough to be written again."""
    return record.last_seen_at <= (now or utcnow()) - TOUCH_EVERY


def touch(session, *, realm: str, record_id: uuid.UUID, now: datetime | None = None) -> None:
    """Note that a session was used now (its idle expiry starts again)."""
    model = _model(realm)
    session.execute(
        update(model)
        .where(model.id == record_id, model.ended_at.is_(None))
        .values(last_seen_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def end_session(session, *, realm: str, secret: str | None, now: datetime | None = None) -> None:
    """End the one session the cookie's `secret` names (sign-out)."""
    if not secret:
        return
    model = _model(realm)
    session.execute(
        update(model)
        .where(model.secret_hash == _hash(secret), model.ended_at.is_(None))
        .values(ended_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def end_all_sessions(
    session,
    *,
    realm: str,
    user_id: uuid.UUID,
    keep_secret: str | None = None,
    now: datetime | None = None,
) -> None:
    """End every session of `user_id` in `realm` ("sign out everywhere", a new password, a
    disabled account), except the one `keep_secret` names, when given."""
    model = _model(realm)
    stmt = update(model).where(
        model.realm == realm, model.user_id == user_id, model.ended_at.is_(None)
    )
    if keep_secret:
        stmt = stmt.where(model.secret_hash != _hash(keep_secret))
    session.execute(
        stmt.values(ended_at=now or utcnow()).execution_options(synchronize_session=False)
    )


def active_sessions(session, *, realm: str, user_id: uuid.UUID, now: datetime | None = None):
    """The live sessions of `user_id` in `realm`, most recently used first."""
    model = _model(realm)
    now = now or utcnow()
    return list(
        session.scalars(
            select(model)
            .where(model.realm == realm, model.user_id == user_id, *_live(model, now))
            .order_by(model.last_seen_at.desc())
        )
    )


def is_current(record, secret: str | None) -> bool:
    """Whether `record` is the session the cookie's `secret` names."""
    return bool(secret) and secrets.compare_digest(record.secret_hash, _hash(secret))


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent: str) -> str:
    """ "Chrome on Android", "Firefox on Windows"... or "Unknown device" when it can't tell."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"
