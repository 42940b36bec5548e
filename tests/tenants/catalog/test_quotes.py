"""Pricing customers' carts from the database: the right list, constant queries, no leaks."""

import re
import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.extensions import db
from tenants.catalog.price_lists import BreakInput
from tenants.catalog.quotes import customer_catalog, price_cart
from tenants.customers.models import Customer
from tenants.errors import ValidationFailed
from tests.support.catalog import (
    add_assortment,
    add_price_list,
    add_product,
    tenant_of,
)
from tests.support.factories import make_customer, tenant_session
from tests.support.queries import count_queries

DAY = date(2026, 6, 1)


def _customer(session, customer_id):
    return session.get(Customer, (session.info["tenant_id"], customer_id))


def _quotes(app, bakery, customer_id, lines, on=DAY):
    with tenant_session(app, bakery.id) as session:
        tenant = tenant_of(session, bakery)
        return price_cart(
            session, tenant, customer=_customer(session, customer_id), lines=lines, on=on
        )


@pytest.fixture
def priced(app, two_bakeries):
    """Both bakeries have a BAG-01 and a 'Cafés' list; only north's café has its list."""
    north, south = two_bakeries
    data = {}
    for bakery, price, special in ((north, 250, 200), (south, 900, 700)):
        bread = add_product(app, bakery, sku="BAG-01", price=price)
        roll = add_product(app, bakery, sku="ROL-01", name="Roll", price=80)
        cafes = add_price_list(
            app,
            bakery,
            "Cafés",
            entries=[
                (bread, special, None, [BreakInput(12, special - 20), BreakInput(48, None, 30)]),
            ],
        )
        default = add_price_list(
            app, bakery, "Standard", entries=[(bread, None, "5", [])], default=True
        )
        data[bakery.slug] = {"bread": bread, "roll": roll, "cafes": cafes, "default": default}
    data["north_cafe"] = make_customer(
        app, north, "Café Aurora", price_list_id=data[north.slug]["cafes"]
    )["id"]
    data["north_deli"] = make_customer(app, north, "Corner Deli")["id"]
    data["south_cafe"] = make_customer(app, south, "Café Aurora")["id"]
    return north, south, data


def test_a_customer_is_priced_on_its_own_list_and_others_on_the_default(app, priced):
    north, south, data = priced
    bread = data[north.slug]["bread"]
    cafe = _quotes(app, north, data["north_cafe"], [(bread, 1), (bread, 12), (bread, 50)])
    assert [q.unit_price_minor for q in cafe] == [200, 180, 175]  # 250 less 30% = 175
    assert [q.rule for q in cafe] == ["list", "break", "break"]
    assert cafe[0].next_break.min_qty == 12 and cafe[0].next_break.unit_price_minor == 180
    deli = _quotes(app, north, data["north_deli"], [(bread, 3), (data[north.slug]["roll"], 2)])
    assert [(q.unit_price_minor, q.line_total_minor, q.source) for q in deli] == [
        (238, 714, "Standard"),
        (80, 160, "base price"),
    ]
    # The other bakery's café with the same name is on its own default list.
    south_bread = data[south.slug]["bread"]
    assert _quotes(app, south, data["south_cafe"], [(south_bread, 1)])[0].unit_price_minor == 855


def test_another_bakerys_product_cannot_be_priced(app, priced):
    north, south, data = priced
    with pytest.raises(ValidationFailed):
        _quotes(app, north, data["north_cafe"], [(data[south.slug]["bread"], 1)])


def test_an_expired_list_gives_way_to_the_default_list(app, priced):
    north, _, data = priced
    bread = data[north.slug]["bread"]
    summer = add_price_list(
        app,
        north,
        "Summer",
        entries=[(bread, 100, None, [])],
        valid_from=date(2026, 7, 1),
        valid_until=date(2026, 7, 31),
    )
    with tenant_session(app, north.id) as session:
        _customer(session, data["north_deli"]).price_list_id = summer
    assert _quotes(app, north, data["north_deli"], [(bread, 1)])[0].source == "Standard"
    july = _quotes(app, north, data["north_deli"], [(bread, 1)], on=date(2026, 7, 15))
    assert (july[0].source, july[0].unit_price_minor) == ("Summer", 100)


def test_pricing_a_cart_takes_the_same_number_of_queries_for_5_and_200_lines(app, two_bakeries):
    north, south = two_bakeries
    ids = []
    with tenant_session(app, north.id) as session:
        from tenants.catalog.models import Product

        for i in range(200):  # inserted directly: only the pricing is under test
            product = Product(
                id=uuid.uuid4(),
                tenant_id=north.id,
                sku=f"S-{i:03d}",
                name=f"P {i}",
                base_price_minor=100 + i,
            )
            session.add(product)
            ids.append(product.id)
        session.flush()
    entries = [(pid, 90, None, [BreakInput(10, 80)]) for pid in ids]
    cafes = add_price_list(app, north, "Cafés", entries=entries)
    customer = make_customer(app, north, "Café Aurora", price_list_id=cafes)["id"]
    add_product(app, south, sku="S-000", price=1)

    def queries_for(lines):
        with tenant_session(app, north.id) as session:
            tenant = tenant_of(session, north)
            buyer = _customer(session, customer)
            with count_queries(db.engine) as statements:
                quotes = price_cart(session, tenant, customer=buyer, lines=lines, on=DAY)
            assert [q.unit_price_minor for q in quotes] == [
                80 if qty >= 10 else 90 for _, qty in lines
            ]
            return statements.count

    small = queries_for([(pid, 1 + i * 3) for i, pid in enumerate(ids[:5])])
    large = queries_for([(pid, 1 + (i % 20)) for i, pid in enumerate(ids)])
    assert small == large
    assert small <= 6


def test_an_assortment_limits_what_a_customer_sees_and_orders(app, priced):
    north, _, data = priced
    menu = add_assortment(app, north, "Cafés", [data[north.slug]["bread"]])
    with tenant_session(app, north.id) as session:
        _customer(session, data["north_cafe"]).assortment_id = menu
    with tenant_session(app, north.id) as session:
        tenant = tenant_of(session, north)
        cafe = _customer(session, data["north_cafe"])
        seen = [
            line.product.sku for line in customer_catalog(session, tenant, customer=cafe, on=DAY)
        ]
        deli = _customer(session, data["north_deli"])
        full = [
            line.product.sku for line in customer_catalog(session, tenant, customer=deli, on=DAY)
        ]
    assert seen == ["BAG-01"]
    assert sorted(full) == ["BAG-01", "ROL-01"]
    with pytest.raises(ValidationFailed):
        _quotes(app, north, data["north_cafe"], [(data[north.slug]["roll"], 1)])


def test_hiding_unpriced_products_hides_them_from_the_catalog_and_the_cart(app, priced):
    north, _, data = priced
    from tenants.catalog.price_lists import get_settings

    with tenant_session(app, north.id) as session:
        get_settings(session, tenant_of(session, north)).hide_unpriced = True
    with tenant_session(app, north.id) as session:
        tenant = tenant_of(session, north)
        deli = _customer(session, data["north_deli"])
        seen = [
            line.product.sku for line in customer_catalog(session, tenant, customer=deli, on=DAY)
        ]
    assert seen == ["BAG-01"]
    with pytest.raises(ValidationFailed):
        _quotes(app, north, data["north_deli"], [(data[north.slug]["roll"], 1)])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.sampled_from(["north_cafe", "north_deli"]),
    quantity=st.integers(min_value=1, max_value=200),
)
def test_a_price_list_never_reaches_a_customer_it_is_not_assigned_to(app, priced, which, quantity):
    north, south, data = priced
    quote = _quotes(app, north, data[which], [(data[north.slug]["bread"], quantity)])[0]
    allowed = {data[north.slug]["default"]}
    if which == "north_cafe":
        allowed = {data[north.slug]["cafes"]}
    assert quote.price_list_id in allowed
    assert quote.price_list_id not in {data[south.slug]["cafes"], data[south.slug]["default"]}
    assert quote.line_total_minor == quantity * quote.unit_price_minor >= 0


def test_a_product_missing_from_the_customers_list_falls_back_to_the_default_list(app, priced):
    north, _, data = priced
    bun = add_product(app, north, sku="BUN-01", name="Bun", price=100)
    with tenant_session(app, north.id) as session:
        from tenants.catalog.price_lists import get_price_list, set_entry
        from tenants.catalog.products import get_product

        set_entry(
            session,
            tenant_of(session, north),
            actor=None,
            price_list=get_price_list(session, data[north.slug]["default"]),
            product=get_product(session, bun),
            unit_price_minor=90,
        )
    bread = data[north.slug]["bread"]
    quotes = _quotes(
        app, north, data["north_cafe"], [(bread, 1), (bun, 2), (data[north.slug]["roll"], 1)]
    )
    assert [(q.source, q.unit_price_minor, q.priced) for q in quotes] == [
        ("Cafés", 200, True),
        ("Standard", 90, True),
        ("base price", 80, False),
    ]


def test_a_price_change_shows_on_the_next_quote(app, priced):
    north, _, data = priced
    bread = data[north.slug]["bread"]
    assert _quotes(app, north, data["north_cafe"], [(bread, 1)])[0].unit_price_minor == 200
    with tenant_session(app, north.id) as session:
        from tenants.catalog.price_lists import get_price_list, set_entry
        from tenants.catalog.products import get_product

        set_entry(
            session,
            tenant_of(session, north),
            actor=None,
            price_list=get_price_list(session, data[north.slug]["cafes"]),
            product=get_product(session, bread),
            unit_price_minor=195,
        )
    assert _quotes(app, north, data["north_cafe"], [(bread, 1)])[0].unit_price_minor == 195


def test_deleting_a_customers_list_moves_it_to_the_default_list(app, priced):
    north, _, data = priced
    with tenant_session(app, north.id) as session:
        from tenants.catalog.price_lists import get_price_list
        from tenants.customers.pricing import delete_price_list

        delete_price_list(
            session,
            tenant_of(session, north),
            actor=None,
            price_list=get_price_list(session, data[north.slug]["cafes"]),
        )
    quote = _quotes(app, north, data["north_cafe"], [(data[north.slug]["bread"], 1)])[0]
    assert (quote.source, quote.unit_price_minor) == ("Standard", 238)


def test_a_carts_ids_reach_postgresql_as_one_uuid_array_parsed_once(app, priced):
    """`ids_in` sends the ids as one uuid[] parameter. Its value travels as text; if that text
    were typed text and cast in SQL, PostgreSQL would not fold the cast and would parse the
    whole array again for every row it scans (seconds for a 500-line cart)."""
    from sqlalchemy import select

    from tenants.catalog.models import Product
    from tenants.catalog.quotes import ids_in

    north, _, data = priced
    wanted = [data[north.slug]["bread"], data[north.slug]["roll"], uuid.uuid4()]
    with tenant_session(app, north.id) as session:
        stmt = select(Product.sku).where(ids_in(session, Product.id, wanted))
        assert sorted(session.scalars(stmt)) == ["BAG-01", "ROL-01"]
        if session.get_bind().dialect.name != "postgresql":
            return
        compiled = stmt.compile(session.get_bind())
        plan = session.connection().exec_driver_sql(
            "EXPLAIN (VERBOSE) " + str(compiled), compiled.params
        )
        [condition] = [row[0] for row in plan if "ANY (" in row[0]]
    # A uuid[] constant the planner built once, not text cast per row (`('{...}'::text)::uuid[]`)
    assert re.search(r"products\.id = ANY \('\{[0-9a-f,-]+\}'::uuid\[\]\)", condition)
    assert "::text" not in condition and "::character varying" not in condition
