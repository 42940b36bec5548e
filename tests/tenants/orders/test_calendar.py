"""The delivery calendar under a frozen clock: cut-off minutes, midnight, daylight saving,
closures, lead times, bake days, seasons, sold-out days and customers' own weekdays.

Each test sets up two bakeries; the second has a calendar that would change every answer (closed
everything, cut-offs long past), so any leak between bakeries shows."""

from datetime import date, time, timedelta

import pytest
from freezegun import freeze_time

from config.clock import utcnow
from tenants.orders.calendar import (
    check_delivery_date,
    countdown_text,
    delivery_calendar,
    local_instant,
    next_cutoff,
)
from tenants.orders.errors import DateNotOrderable
from tests.support.catalog import add_product, tenant_of
from tests.support.factories import make_customer, tenant_session
from tests.support.orders import close, customer_row, every_day, set_days, set_timezone

# Tuesday 8 December 2026 (London is on GMT in December, New York on EST).
TUESDAY = date(2026, 12, 8)


@pytest.fixture
def bakeries(app, two_bakeries):
    north, south = two_bakeries
    # The other bakery: one delivery day with a cut-off two weeks ahead, and closed all year.
    set_days(app, south, {1: (14, time(0, 0))})
    close(app, south, date(2026, 1, 1), date(2026, 12, 31), "Other bakery")
    return north, south


def _customer(app, bakery, **fields):
    return make_customer(app, bakery, "Café Aurora", **fields)["id"]


def _option(app, bakery, customer_id, day, product_ids=()):
    with tenant_session(app, bakery.id) as session:
        calendar = delivery_calendar(
            session,
            tenant_of(session, bakery),
            customer=customer_row(session, customer_id),
            product_ids=product_ids,
            now=utcnow(),
        )
        return calendar.option(day), calendar


def _codes(option):
    return [r.code for r in option.refusals]


@pytest.mark.parametrize(
    ("tz", "cutoff_utc"),
    [("Europe/London", "2026-12-07 14:00"), ("America/New_York", "2026-12-07 19:00")],
)
def test_an_order_for_tuesday_is_open_the_minute_before_mondays_cutoff_and_closed_at_and_after(
    app, bakeries, tz, cutoff_utc
):
    north, _ = bakeries
    set_timezone(app, north, tz)
    set_days(app, north, {1: (1, time(14, 0))})
    customer = _customer(app, north)
    from datetime import datetime

    at = datetime.fromisoformat(cutoff_utc)
    with freeze_time(at - timedelta(minutes=1)):
        before, _ = _option(app, north, customer, TUESDAY)
    with freeze_time(at):
        at_cutoff, _ = _option(app, north, customer, TUESDAY)
    with freeze_time(at + timedelta(minutes=1)):
        after, _ = _option(app, north, customer, TUESDAY)
    assert before.orderable
    assert _codes(at_cutoff) == ["past_cutoff"]
    assert _codes(after) == ["past_cutoff"]
    assert "closed Mon, Dec 7 at 14:00" in at_cutoff.refusals[0].message
    assert tz in at_cutoff.refusals[0].message


def test_a_cutoff_at_midnight_closes_when_the_bakerys_day_turns(app, bakeries):
    north, _ = bakeries
    set_days(app, north, every_day(days_before=0, at=time(0, 0)))
    customer = _customer(app, north)
    with freeze_time("2026-12-07 23:59"):  # Monday 23:59 in London
        monday_night, calendar = _option(app, north, customer, TUESDAY)
    with freeze_time("2026-12-08 00:00"):
        tuesday_midnight, later = _option(app, north, customer, TUESDAY)
    assert monday_night.orderable
    assert calendar.days[0].day == date(2026, 12, 7)
    assert _codes(tuesday_midnight) == ["past_cutoff"]
    assert later.days[0].day == TUESDAY  # the calendar starts at the bakery's new today
    assert later.earliest == date(2026, 12, 9)


def test_lead_time_counts_from_the_bakerys_local_today_not_utc(app, bakeries):
    north, _ = bakeries
    set_timezone(app, north, "America/New_York")
    set_days(app, north, every_day(days_before=0, at=time(23, 59)))
    customer = _customer(app, north)
    sourdough = add_product(app, north, sku="SOUR", name="Sourdough", lead_time_days=2)
    # 03:30 UTC on Tuesday is still Monday 22:30 in New York: Wednesday is two days ahead.
    with freeze_time("2026-12-08 03:30"):
        wednesday, calendar = _option(app, north, customer, date(2026, 12, 9), [sourdough])
        tuesday = calendar.option(TUESDAY)
    assert wednesday.orderable
    assert _codes(tuesday) == ["lead_time"]
    assert tuesday.refusals[0].message == "Sourdough needs 2 days' notice."
    assert calendar.earliest == date(2026, 12, 9)


@pytest.mark.parametrize(
    ("tz", "monday", "cutoff_at", "closes_utc"),
    [
        # Spring forward: 01:30 never happens in London on 29 March; orders close at the jump.
        ("Europe/London", date(2026, 3, 30), time(1, 30), "2026-03-29 01:00"),
        # An ordinary cut-off on the spring-forward day is already on summer time.
        ("Europe/London", date(2026, 3, 30), time(14, 0), "2026-03-29 13:00"),
        # Fall back: 01:30 happens twice on 25 October; orders close at the first.
        ("Europe/London", date(2026, 10, 26), time(1, 30), "2026-10-25 00:30"),
        ("Europe/London", date(2026, 10, 26), time(14, 0), "2026-10-25 14:00"),
        ("America/New_York", date(2026, 3, 9), time(2, 30), "2026-03-08 07:00"),
        ("America/New_York", date(2026, 3, 9), time(14, 0), "2026-03-08 18:00"),
        ("America/New_York", date(2026, 11, 2), time(1, 30), "2026-11-01 05:30"),
        ("America/New_York", date(2026, 11, 2), time(14, 0), "2026-11-01 19:00"),
    ],
)
def test_cutoffs_on_daylight_saving_days_close_at_the_right_instant(
    app, bakeries, tz, monday, cutoff_at, closes_utc
):
    from datetime import datetime

    north, _ = bakeries
    set_timezone(app, north, tz)
    set_days(app, north, {0: (1, cutoff_at)})  # Mondays, closing Sunday (the DST day)
    customer = _customer(app, north)
    closes = datetime.fromisoformat(closes_utc)
    with freeze_time(closes - timedelta(minutes=1)):
        before, _ = _option(app, north, customer, monday)
    with freeze_time(closes):
        at, _ = _option(app, north, customer, monday)
    assert before.orderable
    assert _codes(at) == ["past_cutoff"]
    assert before.cutoff_at.strftime("%Y-%m-%d %H:%M") == closes_utc


def test_local_instant_reads_the_wall_clock_on_ordinary_days():
    from zoneinfo import ZoneInfo

    instant = local_instant(date(2026, 7, 1), time(14, 0), ZoneInfo("Europe/London"))
    assert instant.isoformat() == "2026-07-01T13:00:00+00:00"


def test_closures_refuse_every_day_of_their_range_and_say_why(app, bakeries):
    north, _ = bakeries
    set_days(app, north, every_day())
    close(app, north, date(2026, 12, 24), date(2026, 12, 27), "Christmas")
    customer = _customer(app, north)
    with freeze_time("2026-12-20 09:00"):
        _, calendar = _option(app, north, customer, TUESDAY)
    closed = [d.day for d in calendar.days if "closed" in _codes(d)]
    assert closed == [date(2026, 12, d) for d in (24, 25, 26, 27)]
    assert calendar.option(date(2026, 12, 25)).refusals[0].message == "Closed: Christmas."
    assert calendar.option(date(2026, 12, 28)).orderable


def test_the_bakerys_weekdays_and_the_customers_own_weekdays_both_apply(app, bakeries):
    north, _ = bakeries
    set_days(app, north, {0: (1, time(14)), 2: (1, time(14)), 4: (1, time(14))})
    customer = _customer(app, north, delivery_weekdays=[2, 3])  # Wed (and Thu, not delivered)
    with freeze_time("2026-12-01 09:00"):  # a Tuesday
        _, calendar = _option(app, north, customer, TUESDAY)
    assert {d.weekday() for d in calendar.orderable} == {2}
    assert _codes(calendar.option(date(2026, 12, 7))) == ["not_customer_day"]  # a Monday
    assert _codes(calendar.option(date(2026, 12, 10))) == ["not_delivery_day"]  # a Thursday
    assert calendar.option(date(2026, 12, 10)).refusals[0].message == "No deliveries on Thursdays."


def test_a_cart_is_refused_dates_its_products_are_not_baked_in_season_or_sold_out(app, bakeries):
    from tests.support.orders import mark_sold_out

    north, south = bakeries
    set_days(app, north, every_day())
    customer = _customer(app, north)
    rye = add_product(app, north, sku="RYE", name="Rye", bake_days="1010101")  # Mon Wed Fri Sun
    stollen = add_product(
        app,
        north,
        sku="STOL",
        name="Stollen",
        available_from=date(2026, 12, 10),
        available_until=date(2026, 12, 23),
    )
    mark_sold_out(app, north, rye, date(2026, 12, 11))
    # The other bakery marks its own product sold out on a day north delivers.
    mark_sold_out(app, south, add_product(app, south, sku="RYE", name="Rye"), date(2026, 12, 13))
    with freeze_time("2026-12-07 09:00"):
        _, calendar = _option(app, north, customer, TUESDAY, [rye, stollen])
    assert _codes(calendar.option(date(2026, 12, 8))) == ["not_baked", "out_of_season"]
    assert _codes(calendar.option(date(2026, 12, 11))) == ["sold_out"]
    assert calendar.option(date(2026, 12, 11)).refusals[0].message == "Rye is sold out that day."
    assert calendar.earliest == date(2026, 12, 13)  # a Sunday, Rye is baked
    assert "Stollen is available Thu, Dec 10 to Wed, Dec 23 only." in [
        r.message for r in calendar.option(date(2026, 12, 8)).refusals
    ]


def test_a_date_refused_for_several_reasons_lists_them_all(app, bakeries):
    north, _ = bakeries
    set_days(app, north, {1: (1, time(14))})
    close(app, north, TUESDAY, TUESDAY, "Staff training")
    customer = _customer(app, north)
    sourdough = add_product(app, north, sku="SOUR", name="Sourdough", lead_time_days=3)
    with freeze_time("2026-12-07 15:00"):
        option, _ = _option(app, north, customer, TUESDAY, [sourdough])
    assert _codes(option) == ["closed", "past_cutoff", "lead_time"]


def test_writes_are_refused_past_the_cutoff_and_staff_may_override_only_the_cutoff(app, bakeries):
    north, _ = bakeries
    set_days(app, north, {1: (1, time(14)), 2: (1, time(14))})
    close(app, north, date(2026, 12, 9), date(2026, 12, 9), "Inventory")
    customer_id = _customer(app, north)
    with freeze_time("2026-12-08 10:00"), tenant_session(app, north.id) as session:
        tenant, customer = tenant_of(session, north), customer_row(session, customer_id)
        with pytest.raises(DateNotOrderable) as refused:
            check_delivery_date(session, tenant, customer=customer, day=TUESDAY, now=utcnow())
        allowed = check_delivery_date(
            session, tenant, customer=customer, day=TUESDAY, now=utcnow(), override_cutoff=True
        )
        with pytest.raises(DateNotOrderable) as closed:  # closed and past cut-off
            check_delivery_date(
                session,
                tenant,
                customer=customer,
                day=date(2026, 12, 9),
                now=utcnow() + timedelta(days=1),
                override_cutoff=True,
            )
        with pytest.raises(DateNotOrderable) as past:
            check_delivery_date(
                session, tenant, customer=customer, day=date(2026, 12, 1), now=utcnow()
            )
    assert refused.value.field == "delivery_date"
    assert [r.code for r in refused.value.refusals] == ["past_cutoff"]
    assert allowed.day == TUESDAY
    assert [r.code for r in closed.value.refusals] == ["closed", "past_cutoff"]
    assert past.value.message == "That day has passed."


def test_a_bakery_without_a_calendar_delivers_monday_to_saturday_closing_at_two_the_day_before(
    app, two_bakeries
):
    north, _ = two_bakeries
    customer = _customer(app, north)
    with freeze_time("2026-12-07 13:00"):  # Monday
        option, calendar = _option(app, north, customer, TUESDAY)
    assert option.orderable
    assert calendar.option(date(2026, 12, 13)).refusals[0].code == "not_delivery_day"  # Sunday
    assert option.cutoff_at.isoformat() == "2026-12-07T14:00:00+00:00"


def test_the_next_cutoff_reads_as_a_countdown(app, bakeries):
    north, _ = bakeries
    set_days(app, north, {1: (1, time(14)), 4: (1, time(14))})
    customer = _customer(app, north)
    with freeze_time("2026-12-07 10:48"):
        _, calendar = _option(app, north, customer, TUESDAY)
        option = next_cutoff(calendar, utcnow())
        text = countdown_text(option, utcnow())
    assert option.day == TUESDAY
    assert text == "Tuesday's order closes in 3 h 12 min"
