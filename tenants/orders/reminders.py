"""The weekly "time to order" reminder: when each customer gets it, and writing it per contact.

Timing, in the bakery's timezone:
- a customer's own weekday and time when staff set one (`ReminderSetting`);
- otherwise two days before the cut-off of their first delivery weekday (the first of the
  customer's own weekdays the bakery delivers on, else the bakery's first): Monday delivery
  closing Sunday 14:00 reminds Friday 14:00;
- Sunday 02:00 when that cannot be worked out (the customer's weekdays and the bakery's have
  none in common).
Instants come from `calendar.local_instant`, so a reminder time inside a DST gap goes out when
the clocks jump, and a repeated one at its first occurrence.

`due` is the `Each` source the scheduler calls; the job (`jobs.reminders.send`) claims the
customer's ISO week in `scheduled_runs` before it calls `queue_reminders`, so a customer gets
one reminder a week even if staff move its time to later the same week.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from config.clock import at_bakery, utcnow
from config.formatting import format_date
from tenants.actors import require
from tenants.catalog.models import Product
from tenants.customers import permissions
from tenants.customers.models import Contact, Customer
from tenants.customers.portal_auth import can_sign_in
from tenants.errors import ValidationFailed
from tenants.orders.calendar import load_schedule, local_instant
from tenants.orders.followup_models import ReminderSetting
from tenants.orders.health import USUAL_STATUSES, check_coming_order, cutoff_words
from tenants.orders.models import Order
from tenants.orders.reorder import reorder
from tenants.orders.standing import coming_occurrence
from tenants.outbox import queue_email, token_link
from tenants.tokens import consume_token, peek_token

FALLBACK = (6, time(2, 0))  # Sunday 02:00
DAYS_BEFORE_CUTOFF = 2
REMINDER_PURPOSE = "contact_reminder"
# People open a weekly reminder days later; the link must outlive the week it is for.
REMINDER_LINK_TTL = timedelta(days=7)
CATEGORY = "reminders"
TEMPLATE = "weekly_reminder"


def default_slot(schedule, customer) -> tuple[int, time]:
    """(weekday, local time) of the reminder when staff set none (see the module docstring)."""
    days = sorted(schedule.cutoffs)
    if customer.delivery_weekdays:
        days = [d for d in days if d in set(customer.delivery_weekdays)]
    if not days:
        return FALLBACK
    cutoff = schedule.cutoffs[days[0]]
    return (days[0] - cutoff.days_before - DAYS_BEFORE_CUTOFF) % 7, cutoff.at


def reminder_slot(schedule, customer, setting: ReminderSetting | None) -> tuple[int, time]:
    """The customer's reminder weekday and local time."""
    if setting is not None:
        return setting.weekday, setting.at
    return default_slot(schedule, customer)


def reminder_at(schedule, slot: tuple[int, time], week_monday: date) -> datetime:
    """The UTC instant of the reminder in the local week starting `week_monday`."""
    weekday, at = slot
    return local_instant(week_monday + timedelta(days=weekday), at, schedule.tz)


def week_key(local_day: date) -> str:
    """The ISO week a reminder belongs to ("2026-W49"): one reminder per customer and key."""
    year, week, _ = local_day.isocalendar()
    return f"{year}-W{week:02d}"


def _reminded_customers(session) -> list[Customer]:
    return list(
        session.scalars(
            select(Customer).where(
                Customer.status == "active",
                Customer.portal_enabled.is_(True),
                Customer.may_order_online.is_(True),
            )
        )
    )


def due(
    session, tenant, *, since: datetime, until: datetime
) -> Iterator[tuple[uuid.UUID, datetime]]:
    """(customer id, reminder instant) for each customer whose reminder falls in (since, until].

    Two queries for the calendar and settings, one for the customers, whatever their number.
    """
    first = at_bakery(since, tenant).date()
    last = at_bakery(until, tenant).date()
    schedule = load_schedule(session, tenant, first=first, last=last)
    settings = {s.customer_id: s for s in session.scalars(select(ReminderSetting))}
    mondays = sorted({d - timedelta(days=d.weekday()) for d in (first, last)})
    for customer in _reminded_customers(session):
        slot = reminder_slot(schedule, customer, settings.get(customer.id))
        for monday in mondays:
            at = reminder_at(schedule, slot, monday)
            if since < at <= until:
                yield customer.id, at


def next_reminder(session, tenant, *, customer, now: datetime | None = None) -> datetime:
    """When `customer`'s next reminder goes out (UTC), for the staff page."""
    now = now or utcnow()
    today = at_bakery(now, tenant).date()
    schedule = load_schedule(session, tenant, first=today, last=today + timedelta(days=14))
    setting = session.scalar(
        select(ReminderSetting).where(ReminderSetting.customer_id == customer.id)
    )
    slot = reminder_slot(schedule, customer, setting)
    monday = today - timedelta(days=today.weekday())
    for weeks in range(3):
        at = reminder_at(schedule, slot, monday + timedelta(weeks=weeks))
        if at > now:
            return at
    raise AssertionError("a weekly reminder falls within three weeks")  # pragma: no cover


def get_setting(session, customer) -> ReminderSetting | None:
    """The customer's own reminder time, if staff set one."""
    return session.scalar(select(ReminderSetting).where(ReminderSetting.customer_id == customer.id))


def set_reminder_time(
    session, tenant, *, actor, customer, weekday: int | None, at: time | None, now=None
) -> ReminderSetting | None:
    """Staff set the customer's reminder weekday and local time; None for both: the default."""
    require(actor, "customers")
    existing = get_setting(session, customer)
    if weekday is None and at is None:
        if existing is not None:
            session.delete(existing)
            session.flush()
        return None
    if weekday not in range(7):
        raise ValidationFailed("Choose a weekday.", field="weekday")
    if at is None:
        raise ValidationFailed("Enter a time such as 14:00.", field="at")
    setting = existing or ReminderSetting(tenant_id=tenant.id, customer_id=customer.id)
    setting.weekday, setting.at = weekday, at.replace(second=0, microsecond=0)
    setting.updated_at = now or utcnow()
    session.add(setting)
    session.flush()
    return setting


def reminder_recipients(session, customer) -> list[Contact]:
    """Contacts of `customer` who get the reminder: active and allowed to place orders (the
    opt-out is applied by the outbox per address)."""
    contacts = session.scalars(
        select(Contact).where(Contact.customer_id == customer.id).order_by(Contact.email)
    )
    return [c for c in contacts if c.is_active and permissions.can(c, customer, "create_orders")]


def reminder_link(tenant, contact) -> dict:
    """The `token_link=` that signs `contact` in and opens the pre-filled cart."""
    return token_link(
        purpose=REMINDER_PURPOSE,
        subject_id=contact.id,
        ttl=REMINDER_LINK_TTL,
        path=f"/wholesale/{tenant.slug}/reminder/{{token}}",
    )


def queue_reminders(session, tenant, *, customer, context: dict, now: datetime) -> int:
    """Write one reminder email per recipient of `customer` with the same `context` (the
    health check, computed once per customer); returns how many rows were written."""
    written = 0
    for contact in reminder_recipients(session, customer):
        queue_email(
            session,
            tenant,
            to_email=contact.email,
            to_name=contact.name,
            template=TEMPLATE,
            context={**context, "name": contact.first_name},
            token_link=reminder_link(tenant, contact),
            category=CATEGORY,
            now=now,
        )
        written += 1
    return written


# The reminder's link -------------------------------------------------------------------------


def reminder_link_contact(session, token: str, *, now=None) -> Contact | None:
    """The contact a live reminder link belongs to, for the GET "Continue" page (not used)."""
    row = peek_token(session, token, purpose=REMINDER_PURPOSE, now=now)
    contact = session.get(Contact, (row.tenant_id, row.subject_id)) if row else None
    return contact if can_sign_in(contact) else None


def use_reminder_link(session, tenant, *, token: str, now: datetime) -> Contact | None:
    """Use a reminder link once (atomically): the contact to sign in, or None."""
    subject = consume_token(session, token, purpose=REMINDER_PURPOSE, now=now)
    contact = session.get(Contact, (tenant.id, subject)) if subject else None
    if not can_sign_in(contact):
        return None
    contact.last_sign_in_at = now
    contact.email_verified_at = contact.email_verified_at or now
    session.flush()
    return contact


@dataclass(frozen=True)
class Prefill:
    """What opening the reminder did: the order put in the cart and what changed since, or
    where the customer's standing order is shown instead."""

    order_number: int | None = None
    changes: tuple[str, ...] = ()
    standing_url: str | None = None


def coming_standing(session, tenant, customer, *, now: datetime):
    """The customer's coming standing-order occurrence (not yet placed), or None: what the
    reminder shows instead of the last order (`standing.coming_occurrence`)."""
    return coming_occurrence(session, tenant, customer, now=now)


def standing_path(tenant, occurrence) -> str:
    """Where the buyer sees and changes that standing order in the portal."""
    return f"/wholesale/{tenant.slug}/standing/{occurrence.standing_order_id}"


def reminder_context(session, tenant, customer, *, now: datetime) -> dict:
    """What every contact's reminder shows (plain JSON): for a customer with a standing order
    its coming occurrence with the problems its own check found; otherwise the health check
    of the coming order (`health.check_coming_order`). Computed once per customer."""
    context = {"customer": customer.display_name}
    occurrence = coming_standing(session, tenant, customer, now=now)
    if occurrence is None:
        return {
            **context,
            **check_coming_order(session, tenant, customer=customer, now=now).context(tenant),
        }
    names = dict(
        session.execute(
            select(Product.id, Product.name).where(
                Product.id.in_([pid for pid, _qty in occurrence.lines])
            )
        ).all()
    )
    return {
        **context,
        "delivery_date": format_date(occurrence.delivery_date, tenant),
        "cutoff_words": cutoff_words(occurrence.cutoff_at, tenant) if occurrence.cutoff_at else "",
        "problems": [],
        "standing": {
            "delivery_date": format_date(occurrence.delivery_date, tenant),
            "lines": [
                {"name": names.get(pid, ""), "quantity": qty} for pid, qty in occurrence.lines
            ],
            "problems": [dict(p) for p in occurrence.problems],
            "path": standing_path(tenant, occurrence),
        },
    }


def last_visible_order(session, contact) -> Order | None:
    """The newest accepted order `contact` may see (see `health.USUAL_STATUSES`)."""
    criteria = permissions.visible_order_filter(contact).criteria(Order)
    return session.scalar(
        select(Order)
        .where(*criteria, Order.status.in_(USUAL_STATUSES))
        .order_by(Order.placed_at.desc(), Order.number.desc())
        .limit(1)
    )


def prefill_cart(session, tenant, *, contact, customer, now: datetime) -> Prefill:
    """Put the contact's last order in their cart through `reorder` (today's prices, and what
    changed), unless the customer has a standing order: then point at it instead."""
    occurrence = coming_standing(session, tenant, customer, now=now)
    if occurrence is not None:
        return Prefill(standing_url=standing_path(tenant, occurrence))
    if not permissions.can(contact, customer, "create_orders"):
        return Prefill()
    order = last_visible_order(session, contact)
    if order is None:
        return Prefill()
    result = reorder(
        session, tenant, contact=contact, customer=customer, order_id=order.id, now=now
    )
    return Prefill(order_number=order.number, changes=result.changes)
