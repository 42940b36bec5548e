"""The home page's charts: order value per week over 12 weeks and the top products, from this
bakery's orders only, cancelled and rejected left out, weeks on the bakery's calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from config.clock import utcnow
from tenants.production.charts import home_charts
from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session
from tests.support.production import add_day_order

# A Sunday evening: this week began Monday 30 November; the first of 12 weeks on 14 September.
NOW = "2026-12-06 20:00"
THIS_MONDAY = date(2026, 11, 30)
FIRST_MONDAY = date(2026, 9, 14)


def charts_of(app, shop):
    with tenant_session(app, shop.bakery.id) as session:
        return home_charts(session, tenant_of(session, shop.bakery), now=utcnow())


def test_weeks_and_top_products_count_this_bakerys_live_orders_in_the_last_12_weeks(app, day_shops):
    north, south = day_shops
    with freeze_time(NOW):

        def order(shop, day, lines, status="confirmed"):
            add_day_order(
                app,
                shop.bakery,
                customer_id=shop.customer,
                location_id=shop.locations["Main Street"],
                day=day,
                status=status,
                lines=[(shop.products[k], q) for k, q in lines],
            )

        # Line totals are 100 per item (tests.support.production).
        order(north, THIS_MONDAY, [("rye", 3)])  # 300
        order(north, THIS_MONDAY + timedelta(days=6), [("tart", 2), ("rye", 1)])  # Sunday: 300
        order(north, FIRST_MONDAY, [("bag", 5)])  # 500, the first week
        order(north, FIRST_MONDAY - timedelta(days=1), [("misc", 50)])  # before the 12 weeks
        order(north, THIS_MONDAY, [("misc", 40)], status="cancelled")
        order(north, THIS_MONDAY, [("misc", 40)], status="rejected")
        order(north, THIS_MONDAY, [("tart", 1)], status="pending_review")  # in hand: counts
        order(south, THIS_MONDAY, [("misc", 90)])
        charts = charts_of(app, north)
    assert [w.starts for w in charts.weeks][::11] == [FIRST_MONDAY, THIS_MONDAY]
    assert len(charts.weeks) == 12
    assert (charts.weeks[-1].value_minor, charts.weeks[-1].orders) == (700, 3)
    assert (charts.weeks[0].value_minor, charts.weeks[0].orders) == (500, 1)
    assert sum(w.value_minor for w in charts.weeks[1:-1]) == 0
    assert [(p.sku, p.quantity, p.value_minor) for p in charts.top] == [
        ("BAG", 5, 500),
        ("RYE", 4, 400),
        ("TART", 3, 300),
    ]


def test_the_bakerys_timezone_decides_which_week_it_is(app, day_shops):
    from tests.support.orders import set_timezone

    north, _ = day_shops
    set_timezone(app, north.bakery, "Pacific/Auckland")
    # 12:30 UTC on Sunday is already Monday 1:30 in Auckland: a new week has begun there.
    with freeze_time(datetime(2026, 12, 6, 12, 30)):
        charts = charts_of(app, north)
    assert charts.weeks[-1].starts == date(2026, 12, 7)
