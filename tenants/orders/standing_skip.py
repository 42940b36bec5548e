"""The preview email's one-click "skip this delivery" link, which needs no password.

The link names the occurrence and the buyer and carries a single-use token (stored hashed, with
an expiry at the occurrence's cut-off; see `tenants.tokens`) whose subject is that buyer's own
skip subject for that occurrence. GET only reads it (mail scanners pre-fetch links); POST uses
the token atomically and skips the week as that buyer, with their permissions checked now.
Another bakery's token is simply not found: tokens are tenant-owned rows.

`read_skip_link` says what the page should show: "ready" (ask), "skipped" (done, or a second
click), "expired", "too_late" (the cut-off passed), or "invalid".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tenants.customers.models import Contact, Customer
from tenants.errors import ValidationFailed
from tenants.orders.standing_generate import SKIP_PURPOSE, skip_subject
from tenants.orders.standing_models import StandingOccurrence, StandingOrder
from tenants.orders.standing_schedule import Occurrence
from tenants.orders.standing_weeks import occurrence_of, skip_week
from tenants.tokens import OneTimeToken, consume_token, hash_token


@dataclass(frozen=True)
class SkipLink:
    """What a skip link points at, and the state the page shows."""

    state: str
    occurrence: Occurrence | None = None
    contact: Contact | None = None
    customer: Customer | None = None


class SkipRefused(ValidationFailed):
    """The link could not skip the week; `state` says why (for the page)."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


def _uuid(raw) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def _token_row(session, raw: str, subject: uuid.UUID):
    return session.scalar(
        select(OneTimeToken).where(
            OneTimeToken.token_hash == hash_token(raw),
            OneTimeToken.purpose == SKIP_PURPOSE,
            OneTimeToken.subject_id == subject,
        )
    )


def read_skip_link(session, tenant, *, occurrence_id, contact_id, token: str, now) -> SkipLink:
    """What the link `(occurrence_id, contact_id, token)` would do now; changes nothing."""
    occ_key, contact_key = _uuid(occurrence_id), _uuid(contact_id)
    if occ_key is None or contact_key is None:
        return SkipLink("invalid")
    row = _token_row(session, token, skip_subject(occ_key, contact_key))
    record = session.scalar(select(StandingOccurrence).where(StandingOccurrence.id == occ_key))
    contact = session.scalar(select(Contact).where(Contact.id == contact_key))
    if row is None or record is None or contact is None or row.revoked_at is not None:
        return SkipLink("invalid")
    order = session.scalar(
        select(StandingOrder).where(StandingOrder.id == record.standing_order_id)
    )
    customer = session.scalar(select(Customer).where(Customer.id == order.customer_id))
    occ = occurrence_of(session, tenant, order, record.delivery_date, now=now)
    link = SkipLink("ready", occ, contact, customer)
    if occ.state == "skipped":
        return SkipLink("skipped", occ, contact, customer)
    if row.used_at is not None:
        return SkipLink("invalid", occ, contact, customer)
    if row.expires_at <= now:
        return SkipLink("expired", occ, contact, customer)
    if occ.state != "open":
        return SkipLink("too_late", occ, contact, customer)
    return link


def use_skip_link(session, tenant, *, occurrence_id, contact_id, token: str, now: datetime):
    """Skip the week the link names, once. Returns the SkipLink after it; raises SkipRefused
    (having changed nothing) when the link cannot skip: the page shows its `state`."""
    link = read_skip_link(
        session, tenant, occurrence_id=occurrence_id, contact_id=contact_id, token=token, now=now
    )
    if link.state != "ready":
        raise SkipRefused(link.state)
    subject = consume_token(session, token, purpose=SKIP_PURPOSE, now=now)
    if subject != skip_subject(link.occurrence.row.id, link.contact.id):
        raise SkipRefused("skipped" if subject is None else "invalid")  # a racing click won
    skip_week(
        session,
        tenant,
        actor=link.contact,
        customer=link.customer,
        standing_order=link.occurrence.standing_order,
        nominal=link.occurrence.nominal_date,
        now=now,
        by_name=f"{link.contact.name} (email link)",
    )
    occ = occurrence_of(
        session, tenant, link.occurrence.standing_order, link.occurrence.nominal_date, now=now
    )
    return SkipLink("skipped", occ, link.contact, link.customer)
