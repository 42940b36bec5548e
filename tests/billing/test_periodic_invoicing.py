"""The periodic run: per-order invoices, and consolidated ones once each period has ended in
the bakery's own timezone (month ends and DST changes in two zones), once per customer and
period, under a frozen clock."""

from __future__ import annotations

from datetime import date, time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session
from tests.support.invoices import delivered_order, set_mode
from tests.support.orders import set_timezone


def _run(app, shop):
    from billing.invoicing import run_invoicing

    with tenant_session(app, shop.bakery.id) as session:
        issued = run_invoicing(session, tenant_of(session, shop.bakery))
        return [(i.period_key, i.total_minor) for i in issued]


def _order(app, shop, day, qty=1):
    return delivered_order(
        app,
        shop.bakery,
        customer_id=shop.customer["id"],
        location_id=shop.main,
        day=day,
        lines=[(shop.bread, qty, None)],
    )


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # Europe/Berlin is on CET (+1) by 31 October 2026 (DST ended on the 25th):
        # November starts there at 23:00 UTC on the 31st.
        ("Europe/Berlin", "2026-10-31 22:59", "2026-10-31 23:01"),
        # America/New_York is still on EDT (-4) at that midnight (DST ends at 02:00 on the 1st).
        ("America/New_York", "2026-11-01 03:59", "2026-11-01 04:01"),
    ],
)
def test_a_month_is_invoiced_once_after_it_ends_at_the_bakery(app, shops, zone, before, after):
    north, south = shops
    set_timezone(app, north.bakery, zone)
    set_mode(app, north.bakery, "consolidated_monthly")
    set_mode(app, south.bakery, "consolidated_monthly")
    _order(app, north, date(2026, 10, 1), qty=2)
    _order(app, north, date(2026, 10, 31), qty=3)
    _order(app, north, date(2026, 11, 1), qty=5)  # next month's
    _order(app, south, date(2026, 10, 15), qty=7)
    with freeze_time(before):
        assert _run(app, north) == []
    with freeze_time(after):
        # 2 + 3 baguettes on two orders: 500 + 35 and 750 + 52.5 -> 53, rounded per line.
        assert _run(app, north) == [("2026-10", 500 + 35 + 750 + 53)]
        assert _run(app, north) == []  # once per customer and period
    with freeze_time("2026-12-01 12:00"):
        assert _run(app, north) == [("2026-11", 1250 + 88)]
    # The other bakery's run sees only its own orders.
    with freeze_time("2026-11-02 12:00"):
        assert _run(app, south) == [("2026-10", 1750 + 123)]


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # The week of 19-25 October 2026 ends as Berlin leaves summer time on the 25th:
        # its Monday midnight is 23:00 UTC on Sunday (CET), not 22:00 (CEST).
        ("Europe/Berlin", "2026-10-25 22:59", "2026-10-25 23:01"),
        # New York's week of 26 Oct - 1 Nov ends the day its DST ends: Monday 2 November
        # midnight is 05:00 UTC (EST), an hour later than the week before.
        ("America/New_York", "2026-11-02 04:59", "2026-11-02 05:01"),
    ],
)
def test_a_week_ends_at_the_bakery_midnight_across_dst(app, shops, zone, before, after):
    north, _ = shops
    set_timezone(app, north.bakery, zone)
    set_mode(app, north.bakery, "consolidated_weekly")
    if zone == "Europe/Berlin":
        days, key = [date(2026, 10, 19), date(2026, 10, 25)], "2026-W43"
    else:
        days, key = [date(2026, 10, 26), date(2026, 11, 1)], "2026-W44"
    for day in days:
        _order(app, north, day, qty=2)
    with freeze_time(before):
        assert _run(app, north) == []
    with freeze_time(after):
        assert [k for k, _ in _run(app, north)] == [key]


def test_per_delivered_order_invoices_each_delivered_order_once(app, shops):
    from billing.models import Invoice

    north, _ = shops
    set_mode(app, north.bakery, "per_delivered_order")
    first = _order(app, north, date(2026, 12, 1))
    delivered_order(
        app,
        north.bakery,
        customer_id=north.customer["id"],
        location_id=north.main,
        day=date(2026, 12, 2),
        lines=[(north.bread, 1, None)],
        status="out_for_delivery",
    )
    with freeze_time("2026-12-02 10:00"):
        assert len(_run(app, north)) == 1
        assert _run(app, north) == []
    with tenant_session(app, north.bakery.id) as session:
        assert session.scalars(select(Invoice.order_id)).all() == [first]


def test_a_customer_override_beats_the_bakery_mode(app, shops):
    from billing.settings import update_customer_billing
    from tests.support.orders import customer_row

    north, _ = shops
    set_mode(app, north.bakery, "consolidated_monthly")
    with tenant_session(app, north.bakery.id) as session:
        update_customer_billing(
            session,
            tenant_of(session, north.bakery),
            actor=None,
            customer=customer_row(session, north.customer["id"]),
            invoicing_mode="per_delivered_order",
            billing_address="Rynek 1\nŁódź",
        )
    _order(app, north, date(2026, 12, 1))
    with freeze_time("2026-12-02 10:00"):
        assert [key for key, _ in _run(app, north)] == [None]


def test_per_order_on_placement_invoices_an_order_as_it_is_placed(app, shops):
    from billing.models import Invoice
    from tests.support.orders import add_order, set_days

    north, south = shops
    set_mode(app, north.bakery, "per_order_on_placement")
    for shop in shops:
        set_days(app, shop.bakery, {d: (1, time(14)) for d in range(7)})
    placed = add_order(app, north.bakery, customer_id=north.customer["id"], location_id=north.main)
    add_order(app, south.bakery, customer_id=south.customer["id"], location_id=south.main)
    with tenant_session(app, north.bakery.id) as session:
        assert session.scalars(select(Invoice.order_id)).all() == [placed]
    with tenant_session(app, south.bakery.id) as session:
        # The other bakery invoices per delivered order (the default): nothing yet.
        assert session.scalars(select(Invoice.order_id)).all() == []
