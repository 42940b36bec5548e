"""A buyer orders in the portal without JavaScript: add from the catalog, the cart, checkout,
the confirmation, the orders list and an order, reorder and cancel; gated by permissions and
scoped by access level, with constant queries on the list."""

from __future__ import annotations

import re
from datetime import time

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from config.extensions import db
from tenants.catalog.price_lists import BreakInput
from tests.support.catalog import add_price_list, tenant_of
from tests.support.factories import add_contact, sign_in_buyer, tenant_session
from tests.support.html import page_text
from tests.support.orders import add_order, customer_row, make_cafe, set_days
from tests.support.queries import count_queries

MONDAY = "2026-12-07 09:00"


@pytest.fixture
def frozen():
    with freeze_time(MONDAY) as clock:
        yield clock


@pytest.fixture
def cafes(app, two_bakeries, frozen):
    north, south = two_bakeries
    shops = {}
    for bakery in (north, south):
        set_days(app, bakery, {1: (1, time(14)), 3: (1, time(14))})
        shops[bakery.slug] = make_cafe(app, bakery)
    add_price_list(
        app,
        north,
        "Cafés",
        entries=[(shops[north.slug]["bread"], 200, None, [BreakInput(12, 180)])],
        default=True,
    )
    return north, south, shops[north.slug], shops[south.slug]


def _client(app, bakery, email="buyer@example.com"):
    client = app.test_client()
    sign_in_buyer(client, bakery, email)
    return client


def _order_count(app, bakery):
    from tenants.orders.models import Order

    with tenant_session(app, bakery.id) as session:
        return session.scalar(select(func.count()).select_from(Order))


def _add(client, bakery, product, quantity):
    return client.post(
        f"/wholesale/{bakery.slug}/cart/add",
        data={"product_id": str(product), "quantity": quantity},
    )


def _checkout(client, bakery, cafe, **fields):
    data = {
        "location_id": str(cafe["locations"]["Main Street"]),
        "delivery_date": "2026-12-08",
        "po_number": "PO-1",
        "notes": "",
        "idempotency_key": "key-1",
        **fields,
    }
    return client.post(f"/wholesale/{bakery.slug}/checkout", data=data)


def test_a_buyer_adds_from_the_catalog_checks_out_and_sees_the_confirmation(app, cafes, mailbox):
    north, _, cafe, _ = cafes
    client = _client(app, north)
    catalog = client.get(f"/wholesale/{north.slug}/catalog")
    assert b'name="quantity"' in catalog.data and b"Add to cart" in catalog.data
    assert _add(client, north, cafe["bread"], 8).status_code == 302
    assert _add(client, north, cafe["roll"], 6).status_code == 302
    cart = page_text(client.get(f"/wholesale/{north.slug}/cart"))
    assert "Add 4 more for €1.80 each" in cart
    assert "Tax 7% on €16.00" in cart and "Total" in cart
    assert "Tuesday, 8 December (earliest)" in cart
    assert "Why not other dates?" in cart and "No deliveries on Wednesdays." in cart

    placed = _checkout(client, north, cafe)
    assert placed.status_code == 302
    detail = client.get(placed.headers["Location"])
    text = page_text(detail)
    assert "Thank you! Order 1 is placed for Tuesday, 8 December." in text
    assert "Baguette" in text and "Cafés: fixed price" in text and "PO: PO-1" in text
    assert "Placed" in text and "Alex Buyer" in text
    assert page_text(client.get(f"/wholesale/{north.slug}/cart")).count("Your cart is empty")
    assert {m["X-Envelope-To"] for m in mailbox.messages} >= {"buyer@example.com"}


def test_a_double_submitted_checkout_lands_on_the_same_single_order(app, cafes):
    north, _, cafe, _ = cafes
    client = _client(app, north)
    _add(client, north, cafe["bread"], 10)
    first = _checkout(client, north, cafe)
    second = _checkout(client, north, cafe)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _order_count(app, north) == 1


def test_a_refused_quantity_is_explained_next_to_its_input_on_the_catalog(app, cafes):
    north, _, cafe, _ = cafes
    client = _client(app, north)
    response = _add(client, north, cafe["roll"], "14")
    assert response.status_code == 422
    assert "Roll comes in steps of 6 from 6: try 12 or 18." in page_text(response)
    assert 'aria-invalid="true"' in response.data.decode()
    for bad in ("1.5", "-2", "lots"):
        assert _add(client, north, cafe["roll"], bad).status_code == 422


def test_checkout_refuses_a_date_past_its_cutoff_and_a_location_of_another_customer(
    app, cafes, frozen
):
    north, south, cafe, south_cafe = cafes
    client = _client(app, north)
    _add(client, north, cafe["bread"], 10)
    wrong_place = _checkout(
        client, north, cafe, location_id=str(south_cafe["locations"]["Harbour"])
    )
    assert wrong_place.status_code == 422
    assert "Choose one of your delivery locations." in page_text(wrong_place)
    frozen.move_to("2026-12-07 14:00")
    late = _checkout(client, north, cafe, idempotency_key="key-2")
    assert late.status_code == 422
    assert "Orders for Tue 8 Dec closed Mon 7 Dec at 14:00" in page_text(late)
    too_long = _checkout(client, north, cafe, idempotency_key="k3", po_number="P" * 41)
    assert too_long.status_code == 422
    assert _order_count(app, north) == 0


def test_checkout_offers_a_second_order_only_when_asked_for(app, cafes):
    north, _, cafe, _ = cafes
    client = _client(app, north)
    _add(client, north, cafe["bread"], 10)
    _checkout(client, north, cafe)
    _add(client, north, cafe["roll"], 6)
    again = _checkout(client, north, cafe, idempotency_key="key-2")
    assert again.status_code == 409
    assert "You already have order 1 for that day and place." in page_text(again)
    assert b'name="allow_second_order"' in again.data
    anyway = _checkout(client, north, cafe, idempotency_key="key-2", allow_second_order="y")
    assert anyway.status_code == 302
    assert _order_count(app, north) == 2


def test_orders_are_listed_by_access_level_and_another_locations_order_is_not_found(app, cafes):
    north, _, cafe, _ = cafes
    add_contact(
        app,
        north,
        cafe["id"],
        email="harbour@example.com",
        access_level="location",
        location_id=cafe["locations"]["Harbour"],
        grants=("view_orders", "create_orders", "edit_orders"),
    )
    main = add_order(
        app, north, customer_id=cafe["id"], location_id=cafe["locations"]["Main Street"]
    )
    add_order(app, north, customer_id=cafe["id"], location_id=cafe["locations"]["Harbour"])
    owner_list = page_text(_client(app, north).get(f"/wholesale/{north.slug}/orders"))
    harbour = _client(app, north, "harbour@example.com")
    harbour_list = page_text(harbour.get(f"/wholesale/{north.slug}/orders"))
    assert "Order 1" in owner_list and "Order 2" in owner_list
    assert "Order 2" in harbour_list and "Order 1" not in harbour_list
    for path in ("", "/reorder", "/cancel"):
        method = harbour.get if not path else harbour.post
        assert method(f"/wholesale/{north.slug}/orders/{main}{path}").status_code == 404


def test_the_orders_list_sends_as_many_statements_for_2_orders_as_for_12(app, cafes):
    north, south, cafe, south_cafe = cafes
    client = _client(app, north)
    url = f"/wholesale/{north.slug}/orders"

    def orders(count):
        for _ in range(count):
            add_order(app, north, customer_id=cafe["id"], location_id=cafe["locations"]["Harbour"])
            add_order(
                app,
                south,
                customer_id=south_cafe["id"],
                location_id=south_cafe["locations"]["Harbour"],
            )

    with app.app_context():
        engine = db.engine
    orders(2)
    client.get(url)
    with count_queries(engine) as few:
        assert client.get(url).status_code == 200
    orders(10)
    with count_queries(engine) as many:
        assert len(re.findall(r"Order \d+</a>", client.get(url).data.decode())) == 12
    assert few.count == many.count


def test_reorder_fills_the_cart_and_says_what_changed(app, cafes):
    north, _, cafe, _ = cafes
    client = _client(app, north)
    _add(client, north, cafe["bread"], 10)
    placed = _checkout(client, north, cafe)
    order_url = placed.headers["Location"]
    with tenant_session(app, north.id) as session:
        from tenants.catalog.models import Product

        session.scalar(select(Product).where(Product.id == cafe["bread"])).base_price_minor = 260
        from tenants.catalog.models import CatalogSettings

        session.scalar(select(CatalogSettings)).default_price_list_id = None
    response = client.post(order_url + "/reorder")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cart")
    cart = page_text(client.get(f"/wholesale/{north.slug}/cart"))
    assert "1 products from order 1 are in your cart at today's prices." in cart
    assert "Baguette: price up from €2.00 to €2.60." in cart


def test_a_buyer_cancels_before_the_cutoff_and_a_stale_page_is_told_who_changed_it(app, cafes):
    north, _, cafe, _ = cafes
    client = _client(app, north)
    order_id = add_order(
        app, north, customer_id=cafe["id"], location_id=cafe["locations"]["Main Street"]
    )
    url = f"/wholesale/{north.slug}/orders/{order_id}"
    assert b"Cancel this order" in client.get(url).data
    stale = client.post(url + "/cancel", data={"version": "0"})
    assert "This order was changed by the system at" in page_text(
        client.get(stale.headers["Location"])
    )
    client.post(url + "/cancel", data={"version": "1"})
    text = page_text(client.get(url))
    assert "Order 1 is cancelled." in text and "Cancelled" in text
    assert b"Cancel this order" not in client.get(url).data


def test_ordering_pages_follow_the_contacts_permissions(app, cafes):
    north, _, cafe, _ = cafes
    add_contact(app, north, cafe["id"], email="look@example.com", grants=("view_orders",))
    add_contact(app, north, cafe["id"], email="none@example.com", grants=())
    looker = _client(app, north, "look@example.com")
    nobody = _client(app, north, "none@example.com")
    order_id = add_order(
        app, north, customer_id=cafe["id"], location_id=cafe["locations"]["Main Street"]
    )
    assert looker.get(f"/wholesale/{north.slug}/cart").status_code == 403
    assert _add(looker, north, cafe["bread"], 1).status_code == 403
    assert looker.post(f"/wholesale/{north.slug}/orders/{order_id}/cancel").status_code == 403
    assert b"Add to cart" not in looker.get(f"/wholesale/{north.slug}/catalog").data
    assert looker.get(f"/wholesale/{north.slug}/orders/{order_id}").status_code == 200
    assert nobody.get(f"/wholesale/{north.slug}/orders").status_code == 403
    with tenant_session(app, north.id) as session:
        customer_row(session, cafe["id"]).may_order_online = False
        assert tenant_of(session, north).slug == north.slug
    assert _client(app, north).get(f"/wholesale/{north.slug}/cart").status_code == 403


def test_checkout_offers_to_add_the_cart_to_the_open_order_for_that_day(app, cafes):
    north, _, cafe, _ = cafes
    client = _client(app, north)
    _add(client, north, cafe["bread"], 10)
    placed = _checkout(client, north, cafe)
    _add(client, north, cafe["bread"], 2)
    _add(client, north, cafe["roll"], 6)
    again = _checkout(client, north, cafe, idempotency_key="key-2")
    assert "Add these items to order 1" in page_text(again)
    order_url = placed.headers["Location"]
    added = client.post(order_url + "/add-cart", data={"version": "1"})
    assert added.headers["Location"] == order_url
    detail = page_text(client.get(order_url))
    assert "Your cart is added to order 1." in detail
    assert "12 each" in detail and "6 each" in detail and "Changed" in detail
    assert "Your cart is empty" in page_text(client.get(f"/wholesale/{north.slug}/cart"))
    assert _order_count(app, north) == 1
    stale = client.post(order_url + "/add-cart", data={"version": "1"})
    assert stale.headers["Location"].endswith("/cart")


def test_a_buyer_changes_quantities_before_the_cutoff_through_the_same_rules(app, cafes):
    north, _, cafe, _ = cafes
    client = _client(app, north)
    _add(client, north, cafe["bread"], 10)
    _add(client, north, cafe["roll"], 6)
    order_url = _checkout(client, north, cafe).headers["Location"]
    assert b"Change quantities" in client.get(order_url).data
    edit_url = order_url + "/edit"
    bread, roll = f"qty-{cafe['bread']}", f"qty-{cafe['roll']}"
    refused = client.post(edit_url, data={"version": "1", bread: "10", roll: "7"})
    assert refused.status_code == 422
    assert "Roll comes in steps of 6 from 6: try 6 or 12." in page_text(refused)
    saved = client.post(edit_url, data={"version": "1", bread: "12", roll: "0"})
    assert saved.headers["Location"] == order_url
    text = page_text(client.get(order_url))
    assert "Order 1 is saved." in text and "removed Roll" in text and "Baguette 10 → 12" in text
    stale = client.post(edit_url, data={"version": "1", bread: "14"})
    assert stale.status_code == 409
    assert "This order was changed by Alex Buyer at" in page_text(stale)


def test_after_the_cutoff_the_order_says_why_and_the_buyer_can_ask_the_bakery(
    app, cafes, frozen, mailbox
):
    from tests.support.factories import platform_session

    north, _, cafe, _ = cafes
    with platform_session(app) as session:
        from tenants.models import Tenant

        session.get(Tenant, north.id).contact_email = "orders@north.example"
    client = _client(app, north)
    _add(client, north, cafe["bread"], 10)
    order_url = _checkout(client, north, cafe).headers["Location"]
    frozen.move_to("2026-12-07 14:30")
    page = client.get(order_url)
    text = page_text(page)
    assert "Orders for Tue 8 Dec closed Mon 7 Dec at 14:00" in text
    assert b"Change quantities" not in page.data and b"Cancel this order" not in page.data
    assert client.get(order_url + "/edit").status_code == 200  # the page, but saving refuses
    refused = client.post(order_url + "/edit", data={"version": "1", f"qty-{cafe['bread']}": "5"})
    assert refused.status_code == 422
    empty = client.post(order_url + "/message", data={"message": "  "})
    assert empty.status_code == 422
    mailbox.clear()
    sent = client.post(order_url + "/message", data={"message": "Two more baguettes please?"})
    assert sent.status_code == 302
    timeline = page_text(client.get(order_url))
    assert "Message to the bakery" in timeline and "Two more baguettes please?" in timeline
    [notice] = mailbox.messages
    assert notice["X-Envelope-To"] == "orders@north.example"
    assert "Two more baguettes please?" in notice.get_body(("plain",)).get_content()
