"""The production sheet: totals per product for a date, from the orders the bakery accepted."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.clock import utcnow
from tenants.orders.models import STATUSES
from tenants.production.projection import ProjectedLine
from tenants.production.sheet import COUNTED_STATUSES, production_sheet
from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session
from tests.support.production import add_day_order
from tests.tenants.production.conftest import DAY

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=utcnow().tzinfo)


def sheet_of(app, shop, day=DAY, projected=()):
    with tenant_session(app, shop.bakery.id) as session:
        return production_sheet(
            session, tenant_of(session, shop.bakery), day=day, now=NOW, projected=projected
        )


def totals(sheet) -> dict:
    return {line.product_id: (line.quantity, line.orders) for line in sheet.lines}


# Each example writes orders for its own delivery date (the test's transaction holds them all).
_days = itertools.count()

order_strategy = st.lists(
    st.tuples(
        st.sampled_from(sorted(STATUSES)),
        st.booleans(),  # on the sheet's date, or the day after
        st.lists(
            st.tuples(st.sampled_from(["rye", "bag", "tart", "misc"]), st.integers(1, 500)),
            min_size=1,
            max_size=4,
            unique_by=lambda line: line[0],
        ),
    ),
    max_size=6,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(north_orders=order_strategy, south_orders=order_strategy)
def test_the_totals_are_the_sum_of_the_counted_order_lines_of_the_date_and_bakery(
    app, day_shops, north_orders, south_orders
):
    day = DAY + timedelta(days=7 * next(_days))
    expected: dict = {}
    for shop, orders in zip(day_shops, (north_orders, south_orders), strict=True):
        for status, same_day, lines in orders:
            add_day_order(
                app,
                shop.bakery,
                customer_id=shop.customer,
                location_id=shop.locations["Main Street"],
                day=day if same_day else day + timedelta(days=1),
                status=status,
                lines=[(shop.products[key], qty) for key, qty in lines],
            )
            if shop is day_shops[0] and same_day and status in COUNTED_STATUSES:
                for key, qty in lines:
                    quantity, count = expected.get(shop.products[key], (0, 0))
                    expected[shop.products[key]] = (quantity + qty, count + 1)
    sheet = sheet_of(app, day_shops[0], day)
    assert totals(sheet) == expected
    assert sheet.orders == sum(
        1 for status, same_day, _ in north_orders if same_day and status in COUNTED_STATUSES
    )


def test_cancelled_rejected_and_waiting_orders_are_left_out_and_waiting_ones_counted_apart(
    app, day_shops
):
    north, south = day_shops
    for status in STATUSES:
        add_day_order(
            app,
            north.bakery,
            customer_id=north.customer,
            location_id=north.locations["Main Street"],
            day=DAY,
            status=status,
            lines=[(north.products["rye"], 10)],
        )
    # The other bakery's big order for the same date and same-named product never counts.
    add_day_order(
        app,
        south.bakery,
        customer_id=south.customer,
        location_id=south.locations["Main Street"],
        day=DAY,
        lines=[(south.products["rye"], 999)],
    )
    sheet = sheet_of(app, north)
    assert totals(sheet) == {north.products["rye"]: (40, 4)}  # four accepted statuses
    assert sheet.orders == 4 and sheet.pending_review == 1


def test_products_are_grouped_by_category_in_catalog_order_with_the_uncategorised_last(
    app, day_shops
):
    north, _ = day_shops
    add_day_order(
        app,
        north.bakery,
        customer_id=north.customer,
        location_id=north.locations["Main Street"],
        day=DAY,
        lines=[(north.products[k], 2) for k in ("misc", "tart", "rye", "bag")],
    )
    sheet = sheet_of(app, north)
    assert [(g.title, [line.name for line in g.lines]) for g in sheet.groups] == [
        ("Breads", ["Baguette", "Rye loaf"]),
        ("Cakes", ["Apple tart"]),
        ("Other products", ["Gift box"]),
    ]


def test_projected_standing_order_lines_are_added_apart_and_marked(app, day_shops):
    north, _ = day_shops
    add_day_order(
        app,
        north.bakery,
        customer_id=north.customer,
        location_id=north.locations["Main Street"],
        day=DAY,
        lines=[(north.products["rye"], 5)],
    )
    standing_a, standing_b = uuid.uuid4(), uuid.uuid4()
    projected = [
        ProjectedLine(
            north.products["rye"], 7, north.customer, north.locations["Harbour"], standing_a
        ),
        ProjectedLine(
            north.products["tart"], 2, north.customer, north.locations["Harbour"], standing_a
        ),
        ProjectedLine(
            north.products["tart"], 3, north.customer, north.locations["Main Street"], standing_b
        ),
    ]
    sheet = sheet_of(app, north, projected=projected)
    lines = {line.sku: line for line in sheet.lines}
    assert (lines["RYE"].quantity, lines["RYE"].projected_quantity, lines["RYE"].total) == (
        5,
        7,
        12,
    )
    assert (lines["TART"].quantity, lines["TART"].projected_quantity) == (0, 5)
    assert lines["TART"].projected_orders == 2 and lines["TART"].orders == 0
    assert sheet.has_projected and sheet.total_quantity == 17
    assert not sheet_of(app, north).has_projected
