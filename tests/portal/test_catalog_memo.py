"""The catalog page keeps its rows between requests (tenants.catalog.memo) without ever
showing one buyer another's token, one bakery another's prices, or a price the bakery has
since changed.

These tests commit for real on their own two bakeries (the catalog stamp moves at COMMIT,
which the per-test rollback never reaches) and delete them afterwards.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tenants.catalog.price_lists import BreakInput
from tests.support import databases
from tests.support.catalog import add_category, add_price_list, add_product, set_list_price
from tests.support.factories import (
    add_contact,
    make_bakery,
    make_customer,
    sign_in_buyer,
    tenant_session,
)

TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


@pytest.fixture
def shops(base_app, pg_database):
    """Two bakeries committed for real: the same two products, one on a list with a break;
    two cafés on that list (one buyer each) and a deli on no list, whose buyer may only view."""
    suffix = uuid.uuid4().hex[:8]
    bakeries = [make_bakery(base_app, f"page-{name}-{suffix}") for name in ("north", "south")]
    data = {}
    for bakery, price in zip(bakeries, (250, 900), strict=True):
        breads = add_category(base_app, bakery, "Breads")
        bread = add_product(base_app, bakery, sku="BAG-01", price=300, category_id=breads)
        add_product(base_app, bakery, sku="ROL-01", name="Roll", price=80, category_id=breads)
        cafes = add_price_list(
            base_app, bakery, "Cafés", entries=[(bread, price, None, [BreakInput(12, 200)])]
        )
        for n in (1, 2):
            cafe = make_customer(base_app, bakery, f"Café {n}", price_list_id=cafes)["id"]
            add_contact(base_app, bakery, cafe, email=f"cafe{n}@example.com", is_owner=True)
        deli = make_customer(base_app, bakery, "Deli")["id"]
        add_contact(base_app, bakery, deli, email="deli@example.com", grants=("view_orders",))
        data[bakery.slug] = {"bread": bread, "list": cafes}
    yield bakeries, data
    base_app.config["WTF_CSRF_ENABLED"] = False
    databases.delete_bakeries(pg_database, [b.id for b in bakeries])


def _buyer(app, bakery, email):
    client = app.test_client()
    sign_in_buyer(client, bakery, email)
    return client


def _page(client, bakery, query="") -> str:
    response = client.get(f"/wholesale/{bakery.slug}/catalog{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _bread_price(page: str) -> str:
    row = page[page.index('data-sku="BAG-01"') :]
    return re.search(r'class="price"[^>]*>([^<]*)<', row).group(1)


def test_each_buyer_gets_a_working_token_of_their_own_from_the_kept_rows(base_app, shops):
    (north, _), _ = shops
    first, second = (
        _buyer(base_app, north, "cafe1@example.com"),
        _buyer(base_app, north, "cafe2@example.com"),
    )
    base_app.config["WTF_CSRF_ENABLED"] = True
    _page(first, north)  # keeps the rows
    pages = {"first": _page(first, north), "second": _page(second, north)}
    for name, client in (("first", first), ("second", second)):
        tokens = set(TOKEN.findall(pages[name]))
        assert len(tokens) == 1 and "\x00" not in next(iter(tokens)), name
        form = re.search(r'<form method="post" action="([^"]+)" class="qty-form"', pages[name])
        product = re.search(r'name="product_id" value="([^"]+)"', pages[name]).group(1)
        response = client.post(
            form.group(1),
            data={"csrf_token": tokens.pop(), "product_id": product, "quantity": "3"},
        )
        assert response.status_code in (302, 303), (name, response.status_code)
    # A token from one buyer's page does not work in the other's session.
    stolen = TOKEN.search(pages["first"]).group(1)
    refused = second.post(
        form.group(1), data={"csrf_token": stolen, "product_id": product, "quantity": "1"}
    )
    assert refused.status_code == 400


def test_a_price_change_shows_on_the_next_page_load(base_app, shops):
    (north, south), data = shops
    buyer = _buyer(base_app, north, "cafe1@example.com")
    other = _buyer(base_app, south, "cafe1@example.com")
    assert "2.50" in _bread_price(_page(buyer, north))
    assert "2.50" in _bread_price(_page(buyer, north))  # kept
    assert "9.00" in _bread_price(_page(other, south))  # the other bakery's own rows
    with tenant_session(base_app, north.id) as session:
        set_list_price(session, north, data[north.slug]["list"], data[north.slug]["bread"], 240)
    assert "2.40" in _bread_price(_page(buyer, north))
    assert "9.00" in _bread_price(_page(other, south))


def test_a_buyer_who_may_not_order_and_another_price_list_get_their_own_rows(base_app, shops):
    (north, _), _ = shops
    cafe = _buyer(base_app, north, "cafe1@example.com")
    deli = _buyer(base_app, north, "deli@example.com")
    cafe_page, deli_page = _page(cafe, north), _page(cafe, north)
    deli_page = _page(deli, north)
    assert "qty-form" in cafe_page and "qty-form" not in deli_page
    assert "2.50" in _bread_price(cafe_page) and "3.00" in _bread_price(deli_page)


def test_a_search_on_a_kept_catalog_shows_only_what_matches(base_app, shops):
    (north, _), _ = shops
    buyer = _buyer(base_app, north, "cafe1@example.com")
    assert 'data-sku="ROL-01"' in _page(buyer, north)
    found = _page(buyer, north, "?q=roll")
    assert 'data-sku="ROL-01"' in found and 'data-sku="BAG-01"' not in found
    assert 'data-sku="BAG-01"' in _page(buyer, north)
