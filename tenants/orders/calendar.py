"""The delivery calendar: which dates a customer may order a cart for, and why not the others.

One service answers it (`delivery_calendar`), and every write that sets or keeps a delivery date
(place, edit, cancel, staff entry) goes through `check_delivery_date`, so a cut-off is never only
cosmetic. The rules, each giving a reason when it refuses a date:
- the bakery delivers on that weekday (`DeliveryDay` rows; a bakery that has not set its calendar
  delivers Monday to Saturday, orders closing at 14:00 the day before) and, if the customer has
  its own delivery weekdays, it is one of them;
- no closure covers the date;
- the date's cut-off (days before + local time, in the bakery's timezone) has not passed: an
  order for Tuesday with "Monday 14:00" is open until 13:59:59 and closed from 14:00:00;
- every product in the cart: its lead time (whole days counted from the bakery's local today),
  its bake days, its seasonal window, and no sold-out mark for that date.

Cut-offs are computed from wall-clock time with zoneinfo. A cut-off time that does not exist on
a spring-forward day (01:30 in London on the last Sunday of March) closes at the instant the
clocks jump, the first moment whose local time is at or past it; one that happens twice on a
fall-back day closes at the first occurrence. Both choices close orders no later than a person
reading the clock would expect.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext, ngettext
from sqlalchemy import select

from config.clock import bakery_today
from config.formatting import format_day
from tenants.catalog.models import Product, SoldOut
from tenants.orders.errors import DateNotOrderable
from tenants.orders.models import Closure, DeliveryDay

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_CUTOFF = (1, time(14, 0))
DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4, 5)
HORIZON_DAYS = 28


@dataclass(frozen=True)
class CutOff:
    """Orders for a delivery weekday close `days_before` days earlier at local time `at`."""

    days_before: int
    at: time


@dataclass(frozen=True)
class ClosureSpan:
    first_day: date
    last_day: date
    reason: str

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class Schedule:
    """The bakery's delivery weekdays with their cut-offs, its closures and its timezone."""

    cutoffs: dict[int, CutOff]
    closures: tuple[ClosureSpan, ...]
    tz: ZoneInfo


@dataclass(frozen=True)
class Refusal:
    """Why a date cannot be ordered: a code for code, a sentence for people."""

    code: str
    message: str
    product_id: uuid.UUID | None = None


@dataclass(frozen=True)
class DayOption:
    """One calendar date: its cut-off (if it is a delivery day) and every reason it is refused."""

    day: date
    cutoff_at: datetime | None
    refusals: tuple[Refusal, ...] = field(default=())

    @property
    def orderable(self) -> bool:
        return not self.refusals

    @property
    def only_past_cutoff(self) -> bool:
        """Refused for the cut-off alone: what staff may override."""
        return bool(self.refusals) and all(r.code == "past_cutoff" for r in self.refusals)


@dataclass(frozen=True)
class Calendar:
    """The dates from the bakery's today over the horizon, each with its answer."""

    days: tuple[DayOption, ...]

    @property
    def orderable(self) -> list[date]:
        return [d.day for d in self.days if d.orderable]

    @property
    def earliest(self) -> date | None:
        return next((d.day for d in self.days if d.orderable), None)

    def option(self, day: date) -> DayOption | None:
        return next((d for d in self.days if d.day == day), None)


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant at which the bakery's clock first reads `at` on `day` (see the module
    docstring for the spring-forward gap and the fall-back repeat)."""
    candidate = datetime.combine(day, at, tzinfo=tz)  # fold=0: first occurrence if repeated
    instant = candidate.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == candidate.replace(tzinfo=None):
        return instant
    # `at` falls in a gap: the clocks jump past it. Close at the jump, i.e. the first instant
    # whose local time is at or past `at`; the jump lies between the two fold readings.
    earliest = candidate.replace(fold=1).astimezone(UTC)
    latest = instant
    wanted = candidate.replace(tzinfo=None)
    while latest - earliest > timedelta(seconds=1):
        middle = earliest + (latest - earliest) / 2
        if middle.astimezone(tz).replace(tzinfo=None) >= wanted:
            latest = middle
        else:
            earliest = middle
    return latest.replace(microsecond=0)


def cutoff_for(schedule: Schedule, day: date) -> datetime | None:
    """When orders for delivery on `day` close (UTC), or None if the bakery does not deliver."""
    cutoff = schedule.cutoffs.get(day.weekday())
    if cutoff is None:
        return None
    return local_instant(day - timedelta(days=cutoff.days_before), cutoff.at, schedule.tz)


def load_schedule(session, tenant, *, first: date, last: date) -> Schedule:
    """The bound bakery's delivery days and the closures touching [first, last]: two queries."""
    rows = list(session.scalars(select(DeliveryDay)))
    if rows:
        cutoffs = {r.weekday: CutOff(r.cutoff_days_before, r.cutoff_time) for r in rows}
    else:
        cutoffs = {w: CutOff(*DEFAULT_CUTOFF) for w in DEFAULT_WEEKDAYS}
    closures = tuple(
        ClosureSpan(c.first_day, c.last_day, c.reason)
        for c in session.scalars(
            select(Closure)
            .where(Closure.last_day >= first, Closure.first_day <= last)
            .order_by(Closure.first_day)
        )
    )
    return Schedule(cutoffs, closures, ZoneInfo(tenant.timezone))


# Refusals are sentences for people, written in the language of the page or email that shows
# them (Flask-Babel's current locale: the bakery's on buyers' pages and mail, English in the
# back office), with dates in words from the one date formatter.
def _format_day(day: date) -> str:
    return format_day(day, "short_day")


def _format_cutoff(instant: datetime, tz: ZoneInfo) -> str:
    local = instant.astimezone(tz)
    return gettext(
        "%(day)s at %(time)s (%(zone)s)",
        day=_format_day(local.date()),
        time=local.strftime("%H:%M"),
        zone=tz.key,
    )


def _calendar_refusals(schedule: Schedule, customer, day: date, now: datetime) -> list[Refusal]:
    refusals = []
    cutoff_at = cutoff_for(schedule, day)
    if cutoff_at is None:
        refusals.append(
            Refusal(
                "not_delivery_day",
                # Translators: English makes the weekday plural with the trailing "s".
                gettext("No deliveries on %(weekday)ss.", weekday=format_day(day, "weekday")),
            )
        )
    elif customer.delivery_weekdays and day.weekday() not in customer.delivery_weekdays:
        refusals.append(Refusal("not_customer_day", gettext("Not one of your delivery days.")))
    for closure in schedule.closures:
        if closure.covers(day):
            refusals.append(
                Refusal("closed", gettext("Closed: %(reason)s.", reason=closure.reason))
            )
    if cutoff_at is not None and now >= cutoff_at:
        refusals.append(
            Refusal(
                "past_cutoff",
                gettext(
                    "Orders for %(day)s closed %(cutoff)s.",
                    day=_format_day(day),
                    cutoff=_format_cutoff(cutoff_at, schedule.tz),
                ),
            )
        )
    return refusals


def _product_refusals(
    products: list[Product], sold_out: set[tuple[uuid.UUID, date]], day: date, today: date
) -> list[Refusal]:
    refusals = []
    for p in products:
        if (day - today).days < p.lead_time_days:
            notice = ngettext(
                "%(product)s needs %(num)d day's notice.",
                "%(product)s needs %(num)d days' notice.",
                p.lead_time_days,
                product=p.name,
            )
            refusals.append(Refusal("lead_time", notice, p.id))
        if not p.baked_on(day):
            weekday = format_day(day, "weekday")
            message = gettext(
                "%(product)s is not baked on %(weekday)ss.", product=p.name, weekday=weekday
            )
            refusals.append(Refusal("not_baked", message, p.id))
        if not p.in_season(day):
            refusals.append(Refusal("out_of_season", _season_message(p), p.id))
        if (p.id, day) in sold_out:
            message = gettext("%(product)s is sold out that day.", product=p.name)
            refusals.append(Refusal("sold_out", message, p.id))
    return refusals


def _season_message(product: Product) -> str:
    start, end = product.available_from, product.available_until
    if start and end:
        return gettext(
            "%(product)s is available %(start)s to %(end)s only.",
            product=product.name,
            start=_format_day(start),
            end=_format_day(end),
        )
    if start:
        return gettext(
            "%(product)s is available from %(start)s.",
            product=product.name,
            start=_format_day(start),
        )
    return gettext(
        "%(product)s was available until %(end)s.", product=product.name, end=_format_day(end)
    )


def _load_products(session, product_ids: Iterable[uuid.UUID], first: date, last: date):
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return [], set()
    products = list(session.scalars(select(Product).where(Product.id.in_(ids))))
    sold_out = {
        (product_id, day)
        for product_id, day in session.execute(
            select(SoldOut.product_id, SoldOut.day).where(
                SoldOut.product_id.in_(ids), SoldOut.day >= first, SoldOut.day <= last
            )
        )
    }
    return sorted(products, key=lambda p: p.name), sold_out


def delivery_calendar(
    session,
    tenant,
    *,
    customer,
    product_ids: Iterable[uuid.UUID] = (),
    now: datetime,
    days: int = HORIZON_DAYS,
) -> Calendar:
    """Every date from the bakery's today for `days` days, orderable or with its refusals, for
    `customer` and a cart of `product_ids`. A constant number of queries (at most four)."""
    today = bakery_today(tenant, now)
    last = today + timedelta(days=days - 1)
    schedule = load_schedule(session, tenant, first=today, last=last)
    products, sold_out = _load_products(session, product_ids, today, last)
    options = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        refusals = _calendar_refusals(schedule, customer, day, now)
        refusals += _product_refusals(products, sold_out, day, today)
        options.append(DayOption(day, cutoff_for(schedule, day), tuple(refusals)))
    return Calendar(tuple(options))


def day_option(
    session, tenant, *, customer, product_ids: Iterable[uuid.UUID] = (), day: date, now: datetime
) -> DayOption:
    """The calendar's answer for one date (any date, also past the horizon)."""
    today = bakery_today(tenant, now)
    schedule = load_schedule(session, tenant, first=day, last=day)
    products, sold_out = _load_products(session, product_ids, day, day)
    if day < today:
        return DayOption(
            day, cutoff_for(schedule, day), (Refusal("past", gettext("That day has passed.")),)
        )
    refusals = _calendar_refusals(schedule, customer, day, now)
    refusals += _product_refusals(products, sold_out, day, today)
    return DayOption(day, cutoff_for(schedule, day), tuple(refusals))


def check_delivery_date(
    session,
    tenant,
    *,
    customer,
    product_ids: Iterable[uuid.UUID] = (),
    day: date,
    now: datetime,
    override_cutoff: bool = False,
) -> DayOption:
    """Raise DateNotOrderable unless `day` may be ordered now; returns the day's option.

    `override_cutoff` (staff only; the caller records who and why) lets a date through whose
    only refusal is its cut-off. Nothing else can be overridden.
    """
    option = day_option(
        session, tenant, customer=customer, product_ids=product_ids, day=day, now=now
    )
    if option.orderable or (override_cutoff and option.only_past_cutoff):
        return option
    raise DateNotOrderable(" ".join(r.message for r in option.refusals), list(option.refusals))


def next_cutoff(calendar: Calendar, now: datetime) -> DayOption | None:
    """The orderable date whose cut-off comes next (for "Tuesday's order closes in 3 h")."""
    open_days = [d for d in calendar.days if d.orderable and d.cutoff_at and d.cutoff_at > now]
    return min(open_days, key=lambda d: d.cutoff_at, default=None)


def countdown_span(minutes: int) -> str:
    """ "3 h 12 min", "2 d 4 h", "less than a minute": the time left, in the page's language."""
    days, rest = divmod(max(minutes, 0), 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return gettext("%(days)d d %(hours)d h", days=days, hours=hours)
    if hours:
        return gettext("%(hours)d h %(mins)d min", hours=hours, mins=mins)
    return gettext("%(mins)d min", mins=mins) if mins else gettext("less than a minute")


def countdown_text(option: DayOption, now: datetime) -> str:
    """ "Tuesday's order closes in 3 h 12 min" (server-rendered; a script may refresh it)."""
    minutes = int((option.cutoff_at - now).total_seconds() // 60)
    return gettext(
        "%(weekday)s's order closes in %(span)s",
        weekday=format_day(option.day, "weekday"),
        span=countdown_span(minutes),
    )
