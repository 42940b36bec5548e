"""The production sheet with standing orders (merged from the `standing` work): occurrences not
yet placed are on the sheet as "projected", apart from the confirmed orders, and only this
bakery's; once the generator places one, it counts as an order and is no longer projected."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from config.clock import utcnow
from tests.support.factories import sign_in_staff
from tests.support.html import page_text
from tests.support.standing import make_standing
from tests.tenants.orders.conftest import TUESDAY, place


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def test_standing_orders_not_yet_placed_are_projected_on_the_sheet(app, shops):
    north, south = shops
    make_standing(
        app,
        north.bakery,
        north.ids,
        starts_on=TUESDAY,
        now=utcnow(),
        lines=[(north.ids["bread"], 10), (north.ids["roll"], 12)],
        location="Harbour",
    )
    make_standing(
        app,
        south.bakery,
        south.ids,
        starts_on=TUESDAY,
        now=utcnow(),
        lines=[(south.ids["bread"], 99)],
    )
    place(app, north, [(north.ids["bread"], 5)])
    client = app.test_client()
    sign_in_staff(client, north.bakery)
    url = f"/admin/{north.bakery.slug}/production?date={TUESDAY}"
    page = words(client.get(url))
    assert "Baguette · BAG-01 1 + 1 standing 5 10 projected 15" in page, page
    assert "Roll · ROL-01 0 + 1 standing 0 12 projected 12" in page
    assert "99" not in page  # the other bakery's standing order
    pdf = client.post(f"/admin/{north.bakery.slug}/production/print?date={TUESDAY}")
    text = " ".join(PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text().split())
    assert "10 (projected) 15" in text and "Projected: standing orders" in text


def test_a_placed_occurrence_counts_as_an_order_and_is_no_longer_projected(app, shops, frozen):
    from tenants.orders.standing_generate import generate_due
    from tests.support.catalog import tenant_of
    from tests.support.factories import tenant_session

    north, _ = shops
    make_standing(
        app,
        north.bakery,
        north.ids,
        starts_on=TUESDAY,
        now=utcnow(),
        lines=[(north.ids["bread"], 10)],
    )
    frozen.move_to("2026-12-07 14:05")  # past Monday's 14:00 cut-off for Tuesday
    with tenant_session(app, north.bakery.id) as session:
        generate_due(session, tenant_of(session, north.bakery), now=utcnow())
    client = app.test_client()
    sign_in_staff(client, north.bakery)
    page = words(client.get(f"/admin/{north.bakery.slug}/production?date={TUESDAY}"))
    assert "Baguette · BAG-01 1 10 10" in page and "projected" not in page
