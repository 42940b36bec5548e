"""Stripe webhook events: store each event id once, apply it in a job, once.

The endpoint verifies the signature, stores the event (a repeated delivery finds its id taken
and stores nothing) and answers at once; a job queued after that commit applies it. Applying
locks the stored row, does the work and marks it applied in one transaction: a worker killed
halfway leaves the row pending, and `pending_*` hand it to the relay (jobs.stripe_relay), which
offers it again. Two jobs for one event take turns on the row lock; the second finds it done.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Uuid, bindparam, select, text
from sqlalchemy.exc import IntegrityError

from billing.connect import tenant_by_account
from billing.connect_events import HANDLERS as CONNECT_HANDLERS
from billing.plan_billing import PLATFORM_HANDLERS
from billing.stripe_models import StripeConnectEvent, StripePlatformEvent
from config.clock import utcnow
from config.extensions import db
from config.queue import enqueue_after_commit, safe_job_id
from config.types import UTCDateTime
from tenants.errors import ValidationFailed
from tenants.scoping import bind_tenant

log = logging.getLogger(__name__)

PLATFORM_JOB = "billing.stripe_events.apply_platform_event"
CONNECT_JOB = "billing.stripe_events.apply_connect_event"
# The job queued at receipt normally runs within seconds; only older pending events are the
# relay's, so it does not race a job that is about to run.
RELAY_AFTER = timedelta(minutes=2)
RELAY_BATCH = 200
# Pending Connect events across bakeries, ids only. On PostgreSQL the body of the SECURITY
# DEFINER function platform_pending_connect_events(p_before, p_limit) (row-level security hides
# other bakeries' rows from the app); SQLite runs it directly.
PENDING_CONNECT_SQL = """
SELECT e.tenant_id, e.id FROM stripe_connect_events e JOIN tenants t ON t.id = e.tenant_id
WHERE e.status = 'pending' AND e.created_at < {before} AND t.suspended_at IS NULL
ORDER BY e.created_at
LIMIT {limit}
"""


class UnknownAccount(ValidationFailed):
    """A Connect event for an account that is no bakery's of ours."""

    code = "unknown_stripe_account"


def _event_fields(event: dict) -> dict:
    obj = (event.get("data") or {}).get("object") or {}
    created = event.get("created")
    return {
        "type": str(event["type"])[:80],
        "object_id": str(obj.get("id", ""))[:100],
        "stripe_created_at": datetime.fromtimestamp(int(created), UTC) if created else None,
    }


def _insert_once(session, row) -> bool:
    """Add `row` unless its event id is taken (a repeated delivery); True if it was new."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def platform_job_id(event_id: str) -> str:
    return safe_job_id("stripe-platform", event_id)


def connect_job_id(row_id) -> str:
    return safe_job_id("stripe-connect", row_id)


def receive_platform_event(session, event: dict, *, now: datetime | None = None) -> bool:
    """Store a verified platform event and queue its job after commit; False for a replay."""
    if session.get(StripePlatformEvent, event["id"]) is not None:
        return False
    row = StripePlatformEvent(id=event["id"], received_at=now or utcnow(), **_event_fields(event))
    if not _insert_once(session, row):
        return False
    enqueue_after_commit(session, PLATFORM_JOB, None, row.id, job_id=platform_job_id(row.id))
    return True


def receive_connect_event(session, event: dict, *, now: datetime | None = None) -> bool:
    """Store a verified Connect event as its bakery's row; UnknownAccount for an account that
    is none of ours. False for a replay."""
    account = event.get("account")
    tenant = tenant_by_account(session, account)
    if tenant is None:
        log.warning("Stripe Connect event %s names account %r: no bakery", event["id"], account)
        raise UnknownAccount("This event is for a Stripe account that is not connected here.")
    bind_tenant(session, tenant.id)
    existing = session.scalar(
        select(StripeConnectEvent.id).where(StripeConnectEvent.stripe_event_id == event["id"])
    )
    if existing is not None:
        return False
    row = StripeConnectEvent(
        tenant_id=tenant.id,
        id=uuid.uuid4(),
        stripe_event_id=event["id"],
        account_id=account,
        created_at=now or utcnow(),
        **_event_fields(event),
    )
    if not _insert_once(session, row):
        return False
    enqueue_after_commit(
        session, CONNECT_JOB, str(tenant.id), str(row.id), job_id=connect_job_id(row.id)
    )
    return True


def _locked(session, stmt):
    # Two jobs for one event take turns here; SQLite has one writer at a time anyway.
    if session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def _finish(row, status: str, outcome: str, now: datetime) -> str:
    row.status, row.outcome, row.applied_at = status, outcome[:2000], now
    return status


def apply_platform_event(event_id: str, *, now: datetime | None = None) -> str:
    """The job: apply platform event `event_id` once; returns its status afterwards."""
    now = now or utcnow()
    session = db.session
    row = _locked(session, select(StripePlatformEvent).where(StripePlatformEvent.id == event_id))
    if row is None or row.status != "pending":
        return row.status if row else "missing"
    handler = PLATFORM_HANDLERS.get(row.type)
    if handler is None:
        return _finish(row, "ignored", f"no handler for {row.type}", now)
    status, outcome = handler(session, row, now=now)
    if status == "unmatched":
        log.warning("Stripe platform event %s (%s) matches no bakery", row.id, row.type)
    return _finish(row, status, outcome, now)


def apply_connect_event(tenant, row_id: str, *, now: datetime | None = None) -> str:
    """The job: apply the bakery's stored Connect event `row_id` once."""
    now = now or utcnow()
    session = db.session
    row = _locked(
        session, select(StripeConnectEvent).where(StripeConnectEvent.id == uuid.UUID(row_id))
    )
    if row is None or row.status != "pending":
        return row.status if row else "missing"
    handler = CONNECT_HANDLERS.get(row.type)
    if handler is None:
        return _finish(row, "ignored", f"no handler for {row.type} yet", now)
    status, outcome = handler(session, tenant, row)
    return _finish(row, status, outcome, now)


def pending_platform_events(session, *, now: datetime | None = None, limit=RELAY_BATCH):
    """Ids of platform events stored but not applied for longer than RELAY_AFTER."""
    before = (now or utcnow()) - RELAY_AFTER
    return list(
        session.scalars(
            select(StripePlatformEvent.id)
            .where(StripePlatformEvent.status == "pending")
            .where(StripePlatformEvent.received_at < before)
            .order_by(StripePlatformEvent.received_at)
            .limit(limit)
        )
    )


def pending_connect_events(session, *, now: datetime | None = None, limit=RELAY_BATCH):
    """[(tenant_id, row_id)] of Connect events stored but not applied, across bakeries."""
    before = (now or utcnow()) - RELAY_AFTER
    if session.get_bind().dialect.name == "postgresql":
        stmt = text("SELECT tenant_id, id FROM platform_pending_connect_events(:before, :limit)")
    else:
        stmt = text(PENDING_CONNECT_SQL.format(before=":before", limit=":limit"))
    stmt = stmt.bindparams(bindparam("before", type_=UTCDateTime)).columns(tenant_id=Uuid, id=Uuid)
    return [tuple(r) for r in session.execute(stmt, {"before": before, "limit": limit})]
