"""The server-side cart: quantities checked per product, priced in one pass of the engine with
breaks, tax per rate and progress to the minimum order, and kept per contact and bakery."""

from __future__ import annotations

from decimal import Decimal

import pytest

from config.clock import utcnow
from config.extensions import db
from tenants.catalog.price_lists import BreakInput
from tenants.errors import PermissionDenied, ValidationFailed
from tenants.orders.cart import set_quantity, view_cart
from tenants.orders.quantities import parse_quantity
from tests.support.catalog import add_price_list, add_product, tenant_of
from tests.support.factories import add_contact, tenant_session
from tests.support.orders import contact_row, customer_row
from tests.support.queries import count_queries


def _set(app, shop, product_id, quantity, *, contact=None, add=False):
    with tenant_session(app, shop.bakery.id) as session:
        set_quantity(
            session,
            tenant_of(session, shop.bakery),
            contact=contact_row(session, contact or shop.ids["contact"]),
            customer=customer_row(session, shop.ids["id"]),
            product_id=product_id,
            quantity=quantity,
            now=utcnow(),
            add=add,
        )


def _view(app, shop, contact=None):
    with tenant_session(app, shop.bakery.id) as session:
        cart = view_cart(
            session,
            tenant_of(session, shop.bakery),
            contact=contact_row(session, contact or shop.ids["contact"]),
            customer=customer_row(session, shop.ids["id"]),
            now=utcnow(),
        )
        session.expunge_all()  # keep the products readable after the block commits
        return cart


def test_the_cart_shows_unit_prices_the_break_reached_the_next_one_tax_per_rate_and_minimum(
    app, shops
):
    north, south = shops
    add_price_list(
        app,
        north.bakery,
        "Cafés",
        entries=[(north.ids["bread"], 200, None, [BreakInput(12, 180), BreakInput(24, 160)])],
        default=True,
    )
    jam = add_product(app, north.bakery, sku="JAM", name="Jam", price=400, tax_rate=19)
    with tenant_session(app, north.bakery.id) as session:
        customer_row(session, north.ids["id"]).minimum_order_minor = 10_000
    _set(app, north, north.ids["bread"], 20)
    _set(app, north, north.ids["roll"], 12)
    _set(app, north, jam, 2)
    _set(app, south, south.ids["bread"], 1)  # the other bakery's cart stays its own
    cart = _view(app, north).priced
    bread, roll, jam_line = cart.lines
    assert (bread.quote.unit_price_minor, bread.quote.rule) == (180, "break")
    assert (bread.more_for_next_break, bread.quote.next_break.unit_price_minor) == (4, 160)
    assert (roll.quote.line_total_minor, roll.more_for_next_break) == (960, None)
    assert [(b.rate, b.net_minor, b.tax_minor) for b in cart.tax_bands] == [
        (Decimal("0.00"), 960, 0),
        (Decimal("7.00"), 3600, 252),
        (Decimal("19.00"), 800, 152),
    ]
    assert (cart.subtotal_minor, cart.tax_minor, cart.total_minor) == (5360, 404, 5764)
    assert (cart.short_of_minimum_minor, cart.minimum_progress_percent) == (4640, 53)
    assert [line.quantity for line in _view(app, south).priced.lines] == [1]


def test_a_cart_of_many_lines_is_read_in_the_same_number_of_statements_as_a_small_one(app, shops):
    north, _ = shops
    products = [
        add_product(app, north.bakery, sku=f"P{n:03}", name=f"P {n}", price=100) for n in range(30)
    ]
    _set(app, north, products[0], 1)
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as small:
        _view(app, north)
    for product in products[1:]:
        _set(app, north, product, 2)
    with count_queries(engine) as large:
        assert len(_view(app, north).priced.lines) == 30
    assert large.count == small.count


def test_quantities_are_set_added_and_removed_with_zero(app, shops):
    north, _ = shops
    _set(app, north, north.ids["roll"], 6)
    _set(app, north, north.ids["roll"], 6, add=True)
    assert [line.quantity for line in _view(app, north).priced.lines] == [12]
    _set(app, north, north.ids["roll"], 0)
    assert _view(app, north).empty


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (5, "Roll: the minimum is 6."),
        (13, "try 12 or 18"),
        (-1, "Order at least 6 of Roll."),
        (20_000, "at most 10000"),
    ],
)
def test_a_refused_quantity_names_the_nearest_valid_ones_and_changes_nothing(
    app, shops, quantity, message
):
    north, _ = shops
    _set(app, north, north.ids["roll"], 6)
    with pytest.raises(ValidationFailed, match=message) as refused:
        _set(app, north, north.ids["roll"], quantity)
    assert refused.value.field == "quantity"
    assert [line.quantity for line in _view(app, north).priced.lines] == [6]


@pytest.mark.parametrize(
    ("text", "message"),
    [("1.5", "whole number"), ("abc", "whole number"), ("-3", "cannot be negative"), ("", "whole")],
)
def test_quantities_are_parsed_strictly_as_whole_numbers(text, message):
    with pytest.raises(ValidationFailed, match=message):
        parse_quantity(text)
    assert parse_quantity(" 12 ") == 12


def test_another_bakerys_product_cannot_be_put_in_the_cart(app, shops):
    north, south = shops
    for product in (south.ids["bread"], "not-a-uuid"):
        with pytest.raises(ValidationFailed, match="not available") as refused:
            _set(app, north, product, 1)
        assert refused.value.field == "product"
    assert _view(app, north).empty


def test_a_contact_without_create_orders_has_no_cart_to_fill(app, shops):
    north, _ = shops
    viewer = add_contact(
        app, north.bakery, north.ids["id"], email="v@example.com", grants=("view_orders",)
    )
    with pytest.raises(PermissionDenied):
        _set(app, north, north.ids["bread"], 1, contact=viewer)


def test_a_product_withdrawn_after_it_was_added_is_set_aside_with_a_note(app, shops):
    from tenants.catalog.models import Product
    from tenants.lookup import get_by_id

    north, _ = shops
    _set(app, north, north.ids["bread"], 3)
    _set(app, north, north.ids["roll"], 6)
    with tenant_session(app, north.bakery.id) as session:
        get_by_id(session, Product, north.ids["roll"], missing="x").active = False
    cart = _view(app, north)
    assert [line.product.sku for line in cart.priced.lines] == ["BAG-01"]
    assert len(cart.unavailable) == 1


def test_a_product_that_lost_its_price_while_unpriced_ones_are_hidden_is_set_aside_with_a_note(
    app, shops
):
    from tenants.catalog.price_lists import get_settings

    north, south = shops
    add_price_list(
        app, north.bakery, "Cafés", entries=[(north.ids["bread"], 200, None, [])], default=True
    )
    _set(app, north, north.ids["bread"], 3)
    _set(app, north, north.ids["roll"], 6)
    _set(app, south, south.ids["roll"], 6)
    with tenant_session(app, north.bakery.id) as session:
        get_settings(session, tenant_of(session, north.bakery)).hide_unpriced = True
    cart = _view(app, north)
    assert [line.product.sku for line in cart.priced.lines] == ["BAG-01"]
    assert cart.priced.subtotal_minor == 600
    [note] = cart.unavailable
    assert "no longer available to you" in note
    # the other bakery does not hide unpriced products: its roll stays priced at base price
    assert [line.quantity for line in _view(app, south).priced.lines] == [6]


def test_a_500_line_cart_is_priced_in_the_same_number_of_statements_as_a_5_line_cart(app, shops):
    from tenants.catalog.products import create_product
    from tenants.orders.cart import MAX_CART_LINES

    north, _ = shops
    with tenant_session(app, north.bakery.id) as session:
        tenant = tenant_of(session, north.bakery)
        ids = [
            create_product(
                session, tenant, actor=None, sku=f"M{n:03}", name=f"M {n}", base_price_minor=100
            ).id
            for n in range(MAX_CART_LINES)
        ]
    add_price_list(
        app, north.bakery, "Cafés", entries=[(pid, 90, None, []) for pid in ids[:50]], default=True
    )

    def fill(product_ids):
        with tenant_session(app, north.bakery.id) as session:
            tenant = tenant_of(session, north.bakery)
            contact = contact_row(session, north.ids["contact"])
            customer = customer_row(session, north.ids["id"])
            for pid in product_ids:
                set_quantity(
                    session,
                    tenant,
                    contact=contact,
                    customer=customer,
                    product_id=pid,
                    quantity=2,
                    now=utcnow(),
                )

    with app.app_context():
        engine = db.engine
    fill(ids[:5])
    with count_queries(engine) as small:
        assert len(_view(app, north).priced.lines) == 5
    fill(ids[5:])
    with count_queries(engine) as large:
        cart = _view(app, north)
    assert len(cart.priced.lines) == MAX_CART_LINES
    assert cart.priced.subtotal_minor == 50 * 2 * 90 + 450 * 2 * 100
    assert large.count == small.count, large.statements[small.count :]
