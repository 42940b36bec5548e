"""The portal's home speaks to the buyer: which orders they see, and the minimum in plain words."""

from tests.support.factories import add_contact, make_customer, sign_in_buyer
from tests.support.html import page_text


def test_a_location_buyer_is_told_whose_orders_they_see(app, client, two_bakeries):
    north, south = two_bakeries
    customer = make_customer(app, north, "Café Aurora", locations=("High Street shop", "Quay"))
    make_customer(app, south, "Café Aurora", locations=("Foreign Street",))
    add_contact(
        app,
        north,
        customer["id"],
        email="ravi@cafe.example",
        access_level="location",
        location_id=customer["locations"]["High Street shop"],
    )
    sign_in_buyer(client, north, "ravi@cafe.example")
    text = page_text(client.get(f"/wholesale/{north.slug}/"))
    assert "You see the orders for your location: High Street shop." in text
    assert "Quay" not in text and "Foreign Street" not in text
    assert "Location: orders for their assigned location" not in text


def test_no_minimum_says_so_instead_of_a_zero_amount(app, client, two_bakeries):
    north, _ = two_bakeries
    customer = make_customer(app, north, "Café Aurora", may_order_online=True)
    add_contact(app, north, customer["id"], email="owner@cafe.example", is_owner=True)
    sign_in_buyer(client, north, "owner@cafe.example")
    text = page_text(client.get(f"/wholesale/{north.slug}/"))
    assert "No minimum order" in text and "Minimum order:" not in text
    assert "You see all of Café Aurora's orders." in text


def test_a_minimum_is_shown_as_money(app, client, two_bakeries):
    north, _ = two_bakeries
    customer = make_customer(app, north, "Deli", minimum_order_minor=3000, may_order_online=True)
    add_contact(app, north, customer["id"], email="deli@cafe.example", is_owner=True)
    sign_in_buyer(client, north, "deli@cafe.example")
    assert "Minimum order: €30.00" in page_text(client.get(f"/wholesale/{north.slug}/"))
