"""The buyer's catalog narrows by search and category, add-to-cart answers JSON for the page's
script, the orders list filters by delivery dates, and an order moves to another delivery date
through the calendar, each for one bakery's customer only."""

from __future__ import annotations

import re
from datetime import time

import pytest
from freezegun import freeze_time

from config.extensions import db
from tests.support.catalog import add_category, add_product
from tests.support.factories import add_contact, make_customer, sign_in_buyer
from tests.support.html import page_text
from tests.support.orders import make_cafe, set_days
from tests.support.queries import count_queries

MONDAY = "2026-12-07 09:00"
JSON = {"Accept": "application/json"}


@pytest.fixture
def frozen():
    with freeze_time(MONDAY) as clock:
        yield clock


@pytest.fixture
def cafes(app, two_bakeries, frozen):
    """Both bakeries deliver Tuesdays and Thursdays (cut-off the day before at 14:00) to a café
    with a baguette and a roll; north also sells a categorised 'Rye loaf' (SKU RYE-9)."""
    north, south = two_bakeries
    shops = {}
    for bakery in (north, south):
        set_days(app, bakery, {1: (1, time(14)), 3: (1, time(14))})
        shops[bakery.slug] = make_cafe(app, bakery)
    breads = add_category(app, north, "Breads")
    add_category(app, north, "Pastry", position=1)
    shops[north.slug]["rye"] = add_product(
        app, north, sku="RYE-9", name="Rye loaf", price=400, category_id=breads
    )
    add_product(app, south, sku="SOU-1", name="South secret rye", price=400)
    return north, south, shops[north.slug], shops[south.slug]


def _client(app, bakery, email="buyer@example.com"):
    client = app.test_client()
    sign_in_buyer(client, bakery, email)
    return client


def _catalog(client, bakery, **args):
    return client.get(f"/wholesale/{bakery.slug}/catalog", query_string=args)


def _skus(response):
    return re.findall(r'data-sku="([^"]+)"', response.data.decode())


def test_the_catalog_finds_products_by_name_or_sku_and_never_another_bakerys(app, cafes):
    north, _, _, _ = cafes
    client = _client(app, north)
    assert _skus(_catalog(client, north, q="rye")) == ["RYE-9"]
    assert _skus(_catalog(client, north, q="bag-0")) == ["BAG-01"]
    assert _skus(_catalog(client, north, q="secret")) == []
    assert sorted(_skus(_catalog(client, north))) == ["BAG-01", "ROL-01", "RYE-9"]


def test_the_catalog_filters_by_category_and_echoes_the_filters_in_the_form(app, cafes):
    north, _, _, _ = cafes
    client = _client(app, north)
    response = _catalog(client, north, category="Breads")
    assert _skus(response) == ["RYE-9"]
    html = response.data.decode()
    assert '<option value="Breads" selected>' in html
    assert _skus(_catalog(client, north, category="Breads", q="baguette")) == []


def test_a_search_without_matches_says_so_and_offers_to_clear_it(app, cafes):
    north, _, _, _ = cafes
    client = _client(app, north)
    response = _catalog(client, north, q="<zzz>")
    assert response.status_code == 200
    text = page_text(response)
    assert "No products match '<zzz>'." in text and "Clear the filters" in text
    assert "&lt;zzz&gt;" in response.data.decode()
    assert "No products match these filters." in page_text(_catalog(client, north, category="X"))


def test_the_catalog_sends_as_many_statements_for_a_search_as_for_the_whole_list(app, cafes):
    north, _, _, _ = cafes
    client = _client(app, north)
    with app.app_context():
        engine = db.engine
    _catalog(client, north)
    with count_queries(engine) as everything:
        _catalog(client, north)
    for index in range(10):
        add_product(app, north, sku=f"EXTRA-{index}", name=f"Extra rye {index}")
    with count_queries(engine) as searched:
        assert len(_skus(_catalog(client, north, q="rye"))) == 11
    assert everything.count == searched.count


def test_add_to_cart_answers_json_when_asked_with_the_cart_count(app, cafes):
    north, south, cafe, _ = cafes
    client = _client(app, north)
    url = f"/wholesale/{north.slug}/cart/add"
    first = client.post(url, data={"product_id": str(cafe["bread"]), "quantity": "3"}, headers=JSON)
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert first.get_json() == {
        "ok": True,
        "cart_count": 1,
        "message": "Added to your cart. It has 1 product.",
    }
    second = client.post(url, data={"product_id": str(cafe["roll"]), "quantity": "6"}, headers=JSON)
    assert second.get_json()["cart_count"] == 2
    assert second.get_json()["message"] == "Added to your cart. It has 2 products."
    assert "Baguette" in page_text(client.get(f"/wholesale/{north.slug}/cart"))
    # Without the header the plain form still redirects back to the catalog.
    plain = client.post(url, data={"product_id": str(cafe["bread"]), "quantity": "1"})
    assert plain.status_code == 302


def test_a_refused_quantity_answers_json_with_the_same_message_as_the_page(app, cafes):
    north, south, cafe, south_cafe = cafes
    client = _client(app, north)
    url = f"/wholesale/{north.slug}/cart/add"
    data = {"product_id": str(cafe["roll"]), "quantity": "14"}
    refused = client.post(url, data=data, headers=JSON)
    assert refused.status_code == 422
    body = refused.get_json()
    message = "Roll comes in steps of 6 from 6: try 12 or 18."
    assert body["ok"] is False and body["message"] == message
    assert body["errors"] == {"quantity": [message]}
    assert message in page_text(client.post(url, data=data))
    foreign = client.post(
        url, data={"product_id": str(south_cafe["bread"]), "quantity": "1"}, headers=JSON
    )
    assert foreign.status_code in (404, 422) and foreign.get_json()["ok"] is False
    assert "Baguette" not in page_text(client.get(f"/wholesale/{north.slug}/cart"))


def _checkout(client, bakery, cafe, day, key):
    return client.post(
        f"/wholesale/{bakery.slug}/checkout",
        data={
            "location_id": str(cafe["locations"]["Main Street"]),
            "delivery_date": day,
            "po_number": "",
            "notes": "",
            "idempotency_key": key,
        },
    )


def _place(client, bakery, cafe, day, key):
    client.post(
        f"/wholesale/{bakery.slug}/cart/add",
        data={"product_id": str(cafe["bread"]), "quantity": "2"},
    )
    response = _checkout(client, bakery, cafe, day, key)
    assert response.status_code == 302, page_text(response)
    client.get(response.headers["Location"])  # shows (and so clears) the "placed" notice
    return response.headers["Location"]


def test_the_orders_list_filters_by_delivery_dates_and_keeps_them_when_paging(app, cafes):
    north, south, cafe, south_cafe = cafes
    client = _client(app, north)
    _place(client, north, cafe, "2026-12-08", "k1")
    _place(client, north, cafe, "2026-12-10", "k2")
    south_client = _client(app, south)
    _place(south_client, south, south_cafe, "2026-12-10", "k3")
    url = f"/wholesale/{north.slug}/orders"
    later = page_text(client.get(url, query_string={"delivery_from": "2026-12-09"}))
    assert "Thu, 10 Dec 2026" in later and "Tue, 8 Dec 2026" not in later
    assert "Order 2" in later and "Order 1" not in later
    earlier = page_text(client.get(url, query_string={"delivery_until": "2026-12-08"}))
    assert "Order 1" in earlier and "Order 2" not in earlier
    none = page_text(client.get(url, query_string={"delivery_from": "2026-12-20"}))
    assert "No orders match these filters." in none and "Clear the filters" in none


def test_a_bad_or_backwards_date_range_is_explained_next_to_its_field(app, cafes):
    north, _, cafe, _ = cafes
    client = _client(app, north)
    _place(client, north, cafe, "2026-12-08", "k1")
    url = f"/wholesale/{north.slug}/orders"
    bad = client.get(url, query_string={"delivery_from": "next week"})
    assert bad.status_code == 400
    assert "Enter a date like 2026-12-08." in page_text(bad)
    assert 'aria-describedby="delivery_from-error"' in bad.data.decode()
    assert "Order 1" in page_text(bad)
    backwards = client.get(
        url, query_string={"delivery_from": "2026-12-10", "delivery_until": "2026-12-08"}
    )
    assert backwards.status_code == 400
    assert "The end date is before the start date." in page_text(backwards)


def test_a_buyer_moves_an_order_to_another_delivery_date_through_the_calendar(app, cafes):
    north, _, cafe, _ = cafes
    client = _client(app, north)
    order_url = _place(client, north, cafe, "2026-12-08", "k1")
    edit_url = order_url + "/edit"
    page = client.get(edit_url).data.decode()
    assert '<option value="2026-12-08" selected>' in page
    assert '<option value="2026-12-10"' in page and '"2026-12-09"' not in page
    bread = f"qty-{cafe['bread']}"
    wednesday = client.post(
        edit_url, data={"version": "1", bread: "2", "delivery_date": "2026-12-09"}
    )
    assert wednesday.status_code == 422
    assert 'aria-describedby="delivery_date-error"' in wednesday.data.decode()
    assert "Order 1" in page_text(client.get(order_url))
    nonsense = client.post(edit_url, data={"version": "1", bread: "2", "delivery_date": "soon"})
    assert nonsense.status_code == 422
    assert "Choose a delivery date." in page_text(nonsense)
    moved = client.post(edit_url, data={"version": "1", bread: "2", "delivery_date": "2026-12-10"})
    assert moved.headers["Location"] == order_url
    assert "Thursday, 10 December" in page_text(client.get(order_url))


def test_another_customers_order_edit_page_of_the_same_bakery_is_not_found(app, cafes):
    north, _, cafe, _ = cafes
    order_url = _place(_client(app, north), north, cafe, "2026-12-08", "k1")
    other = make_customer(app, north, "Other café")
    add_contact(
        app, north, other["id"], email="other@example.com", grants=("view_orders", "edit_orders")
    )
    stranger = _client(app, north, "other@example.com")
    assert stranger.get(order_url + "/edit").status_code == 404
    assert stranger.post(order_url + "/edit", data={"version": "1"}).status_code == 404
