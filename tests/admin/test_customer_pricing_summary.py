"""The customer pages show each customer's price list and assortment, and link to its pricing."""

import re

from config.extensions import db
from tests.support.catalog import add_assortment, add_price_list, add_product
from tests.support.factories import add_staff, make_customer, sign_in_staff
from tests.support.html import page_text
from tests.support.queries import count_queries


def _words(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def _lists(app, north, south):
    bread = add_product(app, north)
    cafes = add_price_list(app, north, "Cafés")
    add_price_list(app, north, "Standard", default=True)
    menu = add_assortment(app, north, "Breakfast menu", product_ids=[bread])
    # the other bakery has lists of the same names, with its own customers on them
    theirs = add_price_list(app, south, "Hotels only")
    make_customer(app, south, "Café Aurora", price_list_id=theirs)
    return cafes, menu


def test_the_detail_page_shows_the_price_list_and_assortment_and_links_to_pricing(
    app, client, two_bakeries
):
    north, south = two_bakeries
    cafes, menu = _lists(app, north, south)
    aurora = make_customer(app, north, "Café Aurora", price_list_id=cafes, assortment_id=menu)
    deli = make_customer(app, north, "Corner Deli")
    sign_in_staff(client, north)
    response = client.get(f"/admin/{north.slug}/customers/{aurora['id']}")
    text = _words(response)
    assert "Price list: Cafés" in text and "Assortment: Breakfast menu" in text
    assert f'href="/admin/{north.slug}/customers/{aurora["id"]}/pricing"' in page_text(response)
    assert "Hotels only" not in text
    plain = _words(client.get(f"/admin/{north.slug}/customers/{deli['id']}"))
    assert "the bakery's default (Standard)" in plain and "the full active catalog" in plain


def test_staff_who_cannot_see_the_catalog_get_no_pricing_link(app, client, two_bakeries):
    north, south = two_bakeries
    cafes, _ = _lists(app, north, south)
    aurora = make_customer(app, north, "Café Aurora", price_list_id=cafes)
    add_staff(app, north, email="accounts@example.com", role="accounts")
    sign_in_staff(client, north, "accounts@example.com")
    response = client.get(f"/admin/{north.slug}/customers/{aurora['id']}")
    assert "Price list: Cafés" in _words(response) and "/pricing" not in page_text(response)


def test_the_list_shows_price_lists_in_a_constant_number_of_queries(app, client, two_bakeries):
    north, south = two_bakeries
    cafes, menu = _lists(app, north, south)
    make_customer(app, north, "Café Aurora", price_list_id=cafes, assortment_id=menu)
    sign_in_staff(client, north)
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as few:
        first = page_text(client.get(f"/admin/{north.slug}/customers"))
    for i in range(4):
        make_customer(app, north, f"Deli {i}", price_list_id=cafes if i % 2 else None)
    with count_queries(engine) as many:
        text = page_text(client.get(f"/admin/{north.slug}/customers"))
    assert "Cafés" in first and "Breakfast menu" in first and "Hotels only" not in first
    assert "default: Standard" in text and "Deli 3" in text and "Hotels only" not in text
    assert few.count > 0 and many.count == few.count


def test_production_staff_see_the_catalog_but_not_a_customers_negotiated_prices(
    app, client, two_bakeries
):
    north, south = two_bakeries
    add_product(app, north)
    customer = make_customer(app, north, "Café Aurora")
    make_customer(app, south, "Café Aurora")
    add_staff(app, north, email="oven@example.com", role="production")
    sign_in_staff(client, north, "oven@example.com")
    base = f"/admin/{north.slug}/customers/{customer['id']}"
    assert client.get(f"/admin/{north.slug}/catalog").status_code == 200
    for path in ("/pricing", "/catalog.csv", "/catalog.pdf"):
        assert client.get(base + path).status_code == 403, path
    sales = app.test_client()
    add_staff(app, north, email="sales@example.com", role="sales")
    sign_in_staff(sales, north, "sales@example.com")
    assert sales.get(base + "/pricing").status_code == 200
