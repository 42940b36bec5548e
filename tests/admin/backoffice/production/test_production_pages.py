"""The production sheet, packing slips and route pages: who may see them, what they show, the
"changed since you printed" flag under frozen time, and a constant number of statements."""

from __future__ import annotations

import io
import re
import uuid
from datetime import timedelta

import pytest
from freezegun import freeze_time
from pypdf import PdfReader

from config.clock import utcnow
from config.extensions import db
from tests.support.factories import add_staff, make_customer, sign_in_staff, tenant_session
from tests.support.html import page_text
from tests.support.production import add_day_order, set_day_order_status
from tests.support.queries import count_queries
from tests.tenants.production.conftest import DAY


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def signed_in(app, bakery, role=None):
    client = app.test_client()
    if role is None:
        sign_in_staff(client, bakery)
    else:
        email = f"{role}-{uuid.uuid4().hex[:6]}@example.com"
        add_staff(app, bakery, email=email, role=role)
        sign_in_staff(client, bakery, email)
    return client


def order(app, shop, *, location="Main Street", day=DAY, qty=5, status="confirmed", **kw):
    return add_day_order(
        app,
        shop.bakery,
        customer_id=shop.customer,
        location_id=shop.locations[location],
        day=day,
        status=status,
        lines=[(shop.products["rye"], qty)],
        **kw,
    )


def test_the_production_role_sees_the_sheet_slips_and_route_but_may_not_move_stops(app, day_shops):
    north, _ = day_shops
    order(app, north, status="pending_review")
    client = signed_in(app, north.bakery, "production")
    slug = north.bakery.slug
    sheet = page_text(client.get(f"/admin/{slug}/production?date={DAY}"))
    # Told about the waiting order, but not sent to a review queue it may not open.
    assert "1 more waits for review" in sheet and "/orders/review" not in sheet
    for url in ("production", "packing", "route"):
        assert client.get(f"/admin/{slug}/{url}?date={DAY}").status_code == 200, url
    assert client.get(f"/admin/{slug}/production/sheet.csv?date={DAY}").status_code == 200
    move = client.post(f"/admin/{slug}/route/{north.locations['Harbour']}", data={"position": "1"})
    assert move.status_code == 403
    accounts = signed_in(app, north.bakery, "accounts")  # no production permission
    assert accounts.get(f"/admin/{slug}/production").status_code == 403
    assert accounts.get(f"/admin/{slug}/packing").status_code == 403
    assert accounts.post(f"/admin/{slug}/production/print?date={DAY}").status_code == 403


def test_the_sheet_page_shows_the_days_totals_and_steps_to_the_days_around(app, day_shops):
    north, south = day_shops
    order(app, north, qty=7)
    order(app, north, location="Harbour", qty=5)
    order(app, north, qty=100, status="cancelled")
    order(app, south, qty=900)
    client = signed_in(app, north.bakery)
    page = words(client.get(f"/admin/{north.bakery.slug}/production?date={DAY}"))
    assert "Production for Tuesday, 8 December 2026" in page
    assert "Rye loaf · RYE 2 12 12" in page  # orders, confirmed, to bake
    assert "900" not in page and "100" not in page
    html = page_text(client.get(f"/admin/{north.bakery.slug}/production?date={DAY}"))
    assert f"date={DAY - timedelta(days=1)}" in html and f"date={DAY + timedelta(days=1)}" in html
    assert client.get(f"/admin/{north.bakery.slug}/production?date=8.12.").status_code == 400


def test_the_page_flags_orders_changed_since_the_last_print(app, day_shops):
    north, south = day_shops
    slug = north.bakery.slug
    url = f"/admin/{slug}/production?date={DAY}"
    with freeze_time("2026-12-08 01:00") as clock:
        first = order(app, north)
        second = order(app, north, location="Harbour")
        order(app, south)
        client = signed_in(app, north.bakery)
        assert "Not printed yet." in words(client.get(url))
        clock.move_to("2026-12-08 03:12")
        printed = client.post(f"/admin/{slug}/production/print?date={DAY}")
        assert printed.mimetype == "application/pdf"
        assert "Rye loaf" in PdfReader(io.BytesIO(printed.data)).pages[0].extract_text()
        assert "no order changed since" in words(client.get(url))
        # The bakers starting on an order is their own progress, not news.
        clock.move_to("2026-12-08 03:20")
        set_day_order_status(app, north.bakery, second["id"], "in_production", at=utcnow())
        assert "no order changed since" in words(client.get(url))
        clock.move_to("2026-12-08 03:30")
        set_day_order_status(app, north.bakery, first["id"], "cancelled", at=utcnow())
        late = order(app, north, location="Harbour", qty=3)
        order(app, south, qty=4)  # the other bakery's changes are not this bakery's news
        page = words(client.get(url))
        assert (
            f"2 orders changed since you printed at 8 Dec 2026, 03:12 GMT "
            f"(orders {first['number']}, {late['number']})" in page
        ), page
        # Printing again clears the flag; the slips keep their own prints.
        clock.move_to("2026-12-08 03:40")
        client.post(f"/admin/{slug}/production/print?date={DAY}")
        assert "no order changed since" in words(client.get(url))
        assert "Not printed yet." in words(client.get(f"/admin/{slug}/packing?date={DAY}"))


def test_packing_slips_follow_the_route_and_list_each_places_orders(app, day_shops):
    north, south = day_shops
    harbour, main = north.locations["Harbour"], north.locations["Main Street"]
    one = order(app, north, qty=2, po_number="PO-7")
    two = order(app, north, qty=3, notes="Extra crusty & well done")
    three = order(app, north, location="Harbour", qty=4)
    order(app, south, qty=50)
    client = signed_in(app, north.bakery)
    slug = north.bakery.slug
    assert client.post(f"/admin/{slug}/route/{harbour}", data={"position": "1"}).status_code == 302
    assert client.post(f"/admin/{slug}/route/{main}", data={"position": "2"}).status_code == 302
    page = words(client.get(f"/admin/{slug}/packing?date={DAY}"))
    first, second = page.index("Stop 1 Café Aurora · Harbour"), page.index("Stop 2 Café Aurora")
    assert first < second
    assert f"Orders {one['number']}, {two['number']} · PO PO-7" in page
    assert f"Order {three['number']}" in page
    assert "Rye loaf · RYE 5" in page and "Extra crusty & well done" in page
    assert "50" not in page
    pdf = client.post(f"/admin/{slug}/packing/print?date={DAY}")
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages]
    assert len(texts) == 2 and "Harbour" in texts[0] and "Main Street" in texts[1]


def test_moving_a_stop_shifts_the_others_and_a_bad_number_is_refused_by_its_field(app, day_shops):
    north, _ = day_shops
    extra = make_customer(app, north.bakery, "Deli", locations=("Counter",))["locations"]
    stops = [north.locations["Main Street"], north.locations["Harbour"], extra["Counter"]]
    client = signed_in(app, north.bakery)
    slug = north.bakery.slug
    for stop in stops:
        client.post(f"/admin/{slug}/route/{stop}", data={"position": "99"})  # to the end
    assert _route(app, north) == {stops[0]: 1, stops[1]: 2, stops[2]: 3}
    client.post(f"/admin/{slug}/route/{stops[2]}", data={"position": "1"})
    assert _route(app, north) == {stops[2]: 1, stops[0]: 2, stops[1]: 3}
    client.post(f"/admin/{slug}/route/{stops[2]}", data={"position": ""})
    assert _route(app, north) == {stops[0]: 1, stops[1]: 2}
    refused = client.post(f"/admin/{slug}/route/{stops[0]}", data={"position": "first"})
    assert refused.status_code == 422
    assert 'id="position-' + str(stops[0]) + '-error"' in page_text(refused)
    assert _route(app, north) == {stops[0]: 1, stops[1]: 2}
    zero = client.post(f"/admin/{slug}/route/{stops[0]}", data={"position": "0"})
    assert zero.status_code == 422 and "Use 1 or more." in page_text(zero)


def _route(app, shop) -> dict:
    from sqlalchemy import select

    from tenants.production.models import RoutePosition

    with tenant_session(app, shop.bakery.id) as session:
        return dict(
            session.execute(select(RoutePosition.location_id, RoutePosition.position)).all()
        )


def _statements(app, client, url) -> int:
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


@pytest.mark.parametrize("page", ["production", "packing", "route"])
def test_the_days_pages_send_as_many_statements_for_2_orders_as_for_12(app, day_shops, page):
    north, south = day_shops

    def add_orders(count):
        for shop in (north, south):
            for _ in range(count):
                made = make_customer(app, shop.bakery, f"C {uuid.uuid4().hex[:6]}")
                add_day_order(
                    app,
                    shop.bakery,
                    customer_id=made["id"],
                    location_id=made["locations"]["Harbour"],
                    day=DAY,
                    lines=[(shop.products["rye"], 2), (shop.products["tart"], 1)],
                )

    client = signed_in(app, north.bakery)
    url = f"/admin/{north.bakery.slug}/{page}?date={DAY}"
    add_orders(2)
    client.get(url)
    few = _statements(app, client, url)
    add_orders(10)
    many = _statements(app, client, url)
    assert few > 0 and many == few, f"{url}: {few} statements for 2 orders, {many} for 12"


def test_the_home_page_draws_the_charts_as_accessible_svg_with_the_numbers_as_text(app, day_shops):
    north, south = day_shops
    with freeze_time("2026-12-06 20:00"):
        order(app, north, day=DAY - timedelta(days=7), qty=12)  # week of 30 Nov: 1,200 cents
        order(app, south, day=DAY - timedelta(days=7), qty=77)
        client = signed_in(app, north.bakery)
        html = page_text(client.get(f"/admin/{north.bakery.slug}/"))
    chart = html[html.index('id="weeks-chart"') : html.index("</svg>")]
    assert 'role="img"' in html and 'aria-labelledby="weeks-title weeks-desc"' in html
    assert '<title id="weeks-title">' in chart and "Week of 30 Nov: €12.00." in chart
    assert chart.count("<rect") == 12
    table = words_of(html[html.index('id="weeks-table"') :])
    assert "Mon, 30 Nov 2026 1 €12.00" in table and "€0.77" not in html and "€77.00" not in html
    top = words_of(html[html.index('id="top-table"') :])
    assert "Product Quantity Value Rye loaf · RYE 12 €12.00 Your plan" in top


def words_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
