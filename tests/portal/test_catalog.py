"""The buyer's catalog in the portal: own prices and assortment only, downloads behind the tier."""

import uuid

import pytest
from sqlalchemy import select

from config.extensions import db
from tenants.catalog.price_lists import BreakInput
from tenants.models import Plan, Tenant
from tests.support.catalog import add_assortment, add_category, add_price_list, add_product
from tests.support.factories import (
    add_contact,
    make_customer,
    platform_session,
    sign_in_buyer,
    sign_in_staff,
)
from tests.support.html import page_text
from tests.support.queries import count_queries


@pytest.fixture
def shops(app, two_bakeries):
    """Both bakeries sell a BAG-01 and have a 'Cafés' list and a 'Café Aurora' whose owner has
    the same email; north also has a 'Hotels' list for a second customer."""
    north, south = two_bakeries
    data = {}
    for bakery, bread_name, price, special in (
        (north, "North baguette", 250, 210),
        (south, "South baguette", 990, 150),
    ):
        breads = add_category(app, bakery, "Breads")
        bread = add_product(
            app, bakery, sku="BAG-01", name=bread_name, price=price, category_id=breads
        )
        roll = add_product(app, bakery, sku="ROL-01", name='=HYPERLINK("x")', price=120)
        cafes = add_price_list(
            app, bakery, "Cafés", entries=[(bread, special, None, [BreakInput(12, special - 20)])]
        )
        hotels = add_price_list(app, bakery, "Hotels", entries=[(bread, special + 20, None, [])])
        aurora = make_customer(app, bakery, "Café Aurora", price_list_id=cafes)
        contact = add_contact(
            app, bakery, aurora["id"], email="owner@aurora.example", is_owner=True
        )
        hotel = make_customer(app, bakery, "Grand Hotel", price_list_id=hotels)
        add_contact(app, bakery, hotel["id"], email="chef@hotel.example", is_owner=True)
        data[bakery.slug] = {
            "bread": bread,
            "roll": roll,
            "aurora": aurora["id"],
            "contact": contact,
            "hotel": hotel["id"],
        }
    return north, south, data


def test_a_buyer_sees_their_own_prices_and_next_break_and_nothing_of_the_other_bakery(
    app, client, shops
):
    north, south, _ = shops
    sign_in_buyer(client, north, "owner@aurora.example")
    home = page_text(client.get(f"/wholesale/{north.slug}/"))
    assert f'href="/wholesale/{north.slug}/catalog"' in home
    response = client.get(f"/wholesale/{north.slug}/catalog")
    text = page_text(response)
    assert response.status_code == 200
    # every price in the bakery's locale with its currency (en_GB, EUR)
    assert "North baguette" in text and "€2.10" in text and "order 12 for €1.90 each" in text
    assert "€1.20" in text  # the roll has no list price: the base price
    assert "2.30" not in text  # the hotel's list
    assert "South baguette" not in text and "1.50" not in text and "9.90" not in text
    # the same person's cookie opens nothing at the other bakery
    assert client.get(f"/wholesale/{south.slug}/catalog").status_code == 302


def test_another_customer_of_the_same_bakery_sees_its_own_list(app, client, shops):
    north, _, _ = shops
    sign_in_buyer(client, north, "chef@hotel.example")
    text = page_text(client.get(f"/wholesale/{north.slug}/catalog"))
    assert "2.30" in text and "2.10" not in text and "order 12" not in text


def test_an_assortment_limits_what_the_buyer_sees(app, client, shops):
    north, _, data = shops
    menu = add_assortment(app, north, "Rolls only", product_ids=[data[north.slug]["roll"]])
    with_menu = make_customer(app, north, "Deli", assortment_id=menu)
    add_contact(app, north, with_menu["id"], email="deli@example.com", is_owner=True)
    sign_in_buyer(client, north, "deli@example.com")
    text = page_text(client.get(f"/wholesale/{north.slug}/catalog"))
    assert "ROL-01" in text and "BAG-01" not in text
    csv_text = client.get(f"/wholesale/{north.slug}/catalog.csv").get_data(as_text=True)
    assert "ROL-01" in csv_text and "BAG-01" not in csv_text


def test_the_buyer_downloads_the_catalog_as_csv_with_formulas_escaped(app, client, shops):
    north, _, _ = shops
    sign_in_buyer(client, north, "owner@aurora.example")
    response = client.get(f"/wholesale/{north.slug}/catalog.csv")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "no-store" in response.headers["Cache-Control"]
    assert text.startswith("\ufeffsku,name,")
    assert "BAG-01,North baguette,Breads,each,1,1,1,2.10,fixed price,from 12: 1.90" in text
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert "South" not in text and "2.30" not in text


def test_the_buyer_downloads_the_catalog_as_a_branded_pdf(app, client, shops):
    north, _, _ = shops
    sign_in_buyer(client, north, "owner@aurora.example")
    response = client.get(f"/wholesale/{north.slug}/catalog.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF") and b"DejaVuSans" in response.data
    assert f"{north.slug}-catalog-" in response.headers["Content-Disposition"]


def test_a_tier_without_catalog_export_explains_itself_to_the_buyer(app, client, shops):
    north, south, _ = shops
    with platform_session(app) as session:
        plan = Plan(code=f"portal-{uuid.uuid4().hex[:6]}", name="Portal only")
        plan.features = ["wholesale_portal"]
        session.add(plan)
        session.flush()
        tenant = session.scalar(select(Tenant).where(Tenant.id == north.id))
        tenant.plan_id = plan.id
    sign_in_buyer(client, north, "owner@aurora.example")
    page = page_text(client.get(f"/wholesale/{north.slug}/catalog"))
    assert "2.10" in page and "isn't available" in page and "Download CSV" not in page
    for suffix in ("csv", "pdf"):
        refused = client.get(f"/wholesale/{north.slug}/catalog.{suffix}")
        assert refused.status_code == 403
        assert "plan doesn't include catalog downloads" in page_text(refused)
    # the other bakery's tier still has it
    other = app.test_client()
    sign_in_buyer(other, south, "owner@aurora.example")
    assert other.get(f"/wholesale/{south.slug}/catalog.csv").status_code == 200


def test_the_catalog_page_uses_the_same_number_of_queries_for_a_bigger_catalog(app, client, shops):
    north, south, _ = shops
    sign_in_buyer(client, north, "owner@aurora.example")
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as few:
        assert client.get(f"/wholesale/{north.slug}/catalog").status_code == 200
    more = [add_product(app, north, sku=f"X-{i}", name=f"Extra {i}", price=100) for i in range(8)]
    add_price_list(app, north, "Extra", entries=[(p, 90, None, [BreakInput(6, 80)]) for p in more])
    add_category(app, north, "Cakes")
    with count_queries(engine) as many:
        response = client.get(f"/wholesale/{north.slug}/catalog")
    assert "Extra 7" in page_text(response)
    assert few.count > 0 and many.count == few.count


def test_staff_viewing_as_the_buyer_see_the_catalog_read_only(app, client, shops):
    north, _, data = shops
    mine = data[north.slug]
    sign_in_staff(client, north)
    client.post(
        f"/admin/{north.slug}/customers/{mine['aurora']}/contacts/{mine['contact']}/view-as"
    )
    page = page_text(client.get(f"/wholesale/{north.slug}/catalog"))
    assert "Read-only view." in page and "2.10" in page and "South" not in page
    assert client.get(f"/wholesale/{north.slug}/catalog.csv").status_code == 200
    assert client.post(f"/wholesale/{north.slug}/catalog").status_code in (403, 405)


def test_signed_out_visitors_are_sent_to_sign_in(app, client, shops):
    north, _, _ = shops
    for path in ("catalog", "catalog.csv", "catalog.pdf"):
        response = client.get(f"/wholesale/{north.slug}/{path}")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_products_outside_their_season_on_the_bakerys_today_are_hidden_from_catalog_and_csv(
    app, client, shops
):
    from datetime import date

    from freezegun import freeze_time

    north, south, _ = shops
    for bakery in (north, south):
        add_product(
            app,
            bakery,
            sku="ASP-01",
            name="Asparagus bread",
            available_from=date(2026, 4, 1),
            available_until=date(2026, 6, 30),
        )
        add_product(
            app,
            bakery,
            sku="TAR-01",
            name="Summer tart",
            available_from=date(2026, 7, 1),
            available_until=date(2026, 8, 31),
        )
        add_product(app, bakery, sku="STO-01", name="Stollen", available_from=date(2026, 11, 1))
    # 23:30 UTC on 30 June is already 1 July in London, where the bakery is.
    with freeze_time("2026-06-30 23:30:00"):
        sign_in_buyer(client, north, "owner@aurora.example")
        page = page_text(client.get(f"/wholesale/{north.slug}/catalog"))
        csv = client.get(f"/wholesale/{north.slug}/catalog.csv").get_data(as_text=True)
    for listing in (page, csv):
        assert "Summer tart" in listing and "North baguette" in listing
        assert "Asparagus bread" not in listing and "Stollen" not in listing


def test_the_catalog_and_the_account_page_show_money_in_one_format(app, client, shops):
    from tenants.customers.models import Customer
    from tests.support.factories import tenant_session

    north, _, data = shops
    with tenant_session(app, north.id) as session:
        session.get(Customer, (north.id, data[north.slug]["aurora"])).minimum_order_minor = 1250
    sign_in_buyer(client, north, "owner@aurora.example")
    home = page_text(client.get(f"/wholesale/{north.slug}/"))
    catalog = page_text(client.get(f"/wholesale/{north.slug}/catalog"))
    assert "€12.50" in home and "€2.10" in catalog


def test_each_row_shows_its_pack_minimum_steps_and_category_with_names_escaped(app, client, shops):
    north, _, _ = shops
    add_product(
        app,
        north,
        sku="TRAY-6",
        name='<script>alert("x")</script> & rolls',
        price=600,
        unit="tray",
        pack_size=6,
        min_order_qty=4,
        qty_increment=2,
    )
    sign_in_buyer(client, north, "owner@aurora.example")
    html = client.get(f"/wholesale/{north.slug}/catalog").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; rolls" in html
    assert 'data-sku="TRAY-6"' in html
    assert (
        'aria-label="Quantity of &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; rolls"'
        in html
    )
    row = html.split('data-sku="TRAY-6"', 1)[1].split("</tr>", 1)[0]
    assert ">tray × 6</td>" in row and ">min. 4, steps of 2</td>" in row
    assert 'value="4"' in row  # the quantity starts at the minimum
    # a category heading before the first product of each category, "Other" for none
    assert html.count('<tr class="category">') == 2
    assert '<th colspan="6">Breads</th>' in html and '<th colspan="6">Other</th>' in html
