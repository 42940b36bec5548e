"""The catalog pages of the back office: list, forms, permissions, price lists, assortments."""

import io
from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from config.extensions import db
from tenants.catalog.models import Category, PriceListEntry, Product
from tests.support.catalog import (
    add_category,
    add_price_list,
    add_product,
)
from tests.support.factories import add_staff, make_customer, sign_in_staff, tenant_session
from tests.support.queries import count_queries

PRODUCT = {
    "sku": "BAG-01",
    "name": "Baguette",
    "description": "",
    "category_id": "",
    "unit": "each",
    "pack_size": "1",
    "base_price": "2.50",
    "tax_rate": "0",
    "active": "y",
    "min_order_qty": "1",
    "qty_increment": "5",
    "lead_time_days": "1",
    "bake_days": ["0", "1", "2", "3", "4"],
}


def test_staff_add_a_product_and_find_it_in_the_list(client, two_bakeries):
    north, south = two_bakeries
    add_product(client.application, south, sku="SOUTH-1", name="South loaf")
    sign_in_staff(client, north)
    response = client.post(f"/admin/{north.slug}/catalog/products/new", data=PRODUCT)
    assert response.status_code == 302
    page = client.get(f"/admin/{north.slug}/catalog?q=bag").get_data(as_text=True)
    assert "Baguette" in page and "2.50" in page and "South loaf" not in page
    with tenant_session(client.application, north.id) as session:
        product = session.scalar(select(Product))
        assert (product.qty_increment, product.bake_days) == (5, "1111100")


def test_a_negative_price_is_refused_next_to_the_field(client, bakeries):
    north, _ = bakeries
    sign_in_staff(client, north)
    response = client.post(
        f"/admin/{north.slug}/catalog/products/new", data={**PRODUCT, "base_price": "-1"}
    )
    assert response.status_code == 422
    assert 'id="base_price-error">A price cannot be negative.' in response.get_data(as_text=True)
    with tenant_session(client.application, north.id) as session:
        assert session.scalar(select(Product.id)) is None


def test_a_duplicate_sku_is_refused_but_another_bakery_may_use_it(client, two_bakeries):
    north, south = two_bakeries
    add_product(client.application, north, sku="BAG-01")
    add_product(client.application, south, sku="ROL-01")
    sign_in_staff(client, north)
    taken = client.post(
        f"/admin/{north.slug}/catalog/products/new", data={**PRODUCT, "sku": "bag-01"}
    )
    assert taken.status_code == 422 and "Another product has this SKU." in taken.get_data(
        as_text=True
    )
    free = client.post(
        f"/admin/{north.slug}/catalog/products/new", data={**PRODUCT, "sku": "ROL-01"}
    )
    assert free.status_code == 302


def test_the_product_limit_of_the_tier_stops_a_new_product(client, bakeries):
    north, _ = bakeries
    add_product(client.application, north, sku="ONE")
    with tenant_session(client.application, north.id) as session:
        from tests.support.catalog import tenant_of

        tenant_of(session, north).plan.max_products = 1
    sign_in_staff(client, north)
    response = client.post(f"/admin/{north.slug}/catalog/products/new", data=PRODUCT)
    assert response.status_code == 409
    assert "allows 1 products; you have 1." in response.get_data(as_text=True)


def test_production_staff_see_the_catalog_but_cannot_change_it(client, bakeries):
    north, _ = bakeries
    product = add_product(client.application, north)
    email = "baker@example.com"
    add_staff(client.application, north, email=email, role="production")
    sign_in_staff(client, north, email)
    assert client.get(f"/admin/{north.slug}/catalog").status_code == 200
    assert client.get(f"/admin/{north.slug}/catalog/products/{product}").status_code == 200
    assert (
        client.post(
            f"/admin/{north.slug}/catalog/products/{product}", data={**PRODUCT, "name": "Changed"}
        ).status_code
        == 403
    )
    assert client.get(f"/admin/{north.slug}/catalog/products/new").status_code == 403
    assert client.get(f"/admin/{north.slug}/catalog/import").status_code == 403


def test_the_product_list_takes_the_same_number_of_queries_for_3_or_40_products(
    client, two_bakeries
):
    north, south = two_bakeries
    app = client.application
    category = add_category(app, north, "Breads")
    add_product(app, south, sku="SOUTH-1")
    sign_in_staff(client, north)

    with app.app_context():
        engine = db.engine

    def queries():
        with count_queries(engine) as statements:
            assert client.get(f"/admin/{north.slug}/catalog").status_code == 200
        return statements.count

    for i in range(3):
        add_product(app, north, sku=f"A-{i}", category_id=category)
    few = queries()
    assert few > 2  # the listener sees the page's statements
    for i in range(37):
        add_product(app, north, sku=f"B-{i}", category_id=category)
    assert queries() == few


def test_bulk_deactivate_changes_only_the_chosen_products(client, bakeries):
    north, _ = bakeries
    app = client.application
    first, second = add_product(app, north, sku="A"), add_product(app, north, sku="B")
    sign_in_staff(client, north)
    response = client.post(
        f"/admin/{north.slug}/catalog/bulk",
        data={"product_ids": [str(first)], "action": "deactivate"},
    )
    assert response.status_code == 302
    with tenant_session(app, north.id) as session:
        states = dict(session.execute(select(Product.sku, Product.active)).all())
    assert states == {"A": False, "B": True}
    assert second


def test_a_price_list_entry_with_breaks_out_of_order_is_refused(client, bakeries):
    north, _ = bakeries
    app = client.application
    product = add_product(app, north)
    price_list = add_price_list(app, north, "Cafés")
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/price-lists/{price_list}/entries"
    bad = client.post(
        url,
        data={
            "product_id": str(product),
            "kind": "fixed",
            "value": "2.20",
            "breaks": "24 2.00\n12 2.10",
        },
    )
    assert bad.status_code == 422 and "out of order" in bad.get_data(as_text=True)
    rising = client.post(
        url,
        data={"product_id": str(product), "kind": "fixed", "value": "2.20", "breaks": "12 2.40"},
    )
    assert rising.status_code == 422 and "raise the unit price" in rising.get_data(as_text=True)
    good = client.post(
        url,
        data={
            "product_id": str(product),
            "kind": "fixed",
            "value": "2.20",
            "breaks": "12 2.10\n48 20%",
        },
    )
    assert good.status_code == 302
    page = client.get(f"/admin/{north.slug}/catalog/price-lists/{price_list}").get_data(
        as_text=True
    )
    assert "12+: €2.10" in page and "48+: 20% off" in page


def test_customer_pricing_page_assigns_a_list_and_previews_prices(client, two_bakeries):
    north, south = two_bakeries
    app = client.application
    product = add_product(app, north, price=250)
    cafes = add_price_list(app, north, "Cafés", entries=[(product, 199, None, [])])
    theirs = add_price_list(app, south, "Theirs")
    customer = make_customer(app, north)["id"]
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{customer}/pricing"
    assert "2.50" in client.get(url).get_data(as_text=True)
    foreign = client.post(url, data={"price_list_id": str(theirs), "assortment_id": ""})
    assert foreign.status_code == 422  # not one of this bakery's choices
    assert (
        client.post(url, data={"price_list_id": str(cafes), "assortment_id": ""}).status_code == 302
    )
    assert "1.99" in client.get(url).get_data(as_text=True)


def test_a_photo_must_be_a_real_image(client, bakeries, tmp_path):
    north, _ = bakeries
    app = client.application
    app.config["CATALOG_UPLOAD_DIR"] = str(tmp_path)
    product = add_product(app, north)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/products/{product}/photo"
    try:
        fake = client.post(
            url,
            data={"photo": (io.BytesIO(b"not an image"), "x.png")},
            content_type="multipart/form-data",
        )
        assert fake.status_code == 422 and "must be a PNG" in fake.get_data(as_text=True)
        from PIL import Image

        bomb = io.BytesIO()
        Image.new("1", (14_000, 14_000)).save(bomb, "PNG")
        refused = client.post(
            url,
            data={"photo": (io.BytesIO(bomb.getvalue()), "bomb.png")},
            content_type="multipart/form-data",
        )
        assert refused.status_code == 422
        assert "too large in pixels" in refused.get_data(as_text=True)

        png = io.BytesIO()
        Image.new("RGB", (4, 4), "red").save(png, "PNG")
        ok = client.post(
            url,
            data={"photo": (io.BytesIO(png.getvalue()), "bread.png")},
            content_type="multipart/form-data",
        )
        assert ok.status_code == 302
        assert (tmp_path / str(north.id) / "products" / f"{product}.png").exists()
        served = client.get(url)
        assert served.status_code == 200 and served.mimetype == "image/png"
    finally:
        app.config.pop("CATALOG_UPLOAD_DIR", None)


def test_staff_choose_the_default_list_and_hide_unpriced_products(client, two_bakeries):
    north, south = two_bakeries
    app = client.application
    bread, roll = add_product(app, north, sku="BAG"), add_product(app, north, sku="ROL")
    standard = add_price_list(app, north, "Standard", entries=[(bread, 199, None, [])])
    theirs = add_price_list(app, south, "Theirs")
    customer = make_customer(app, north)["id"]
    sign_in_staff(client, north)
    foreign = client.post(
        f"/admin/{north.slug}/catalog/settings",
        data={"default_price_list_id": str(theirs), "hide_unpriced": "y"},
    )
    assert foreign.status_code == 400
    saved = client.post(
        f"/admin/{north.slug}/catalog/settings",
        data={"default_price_list_id": str(standard), "hide_unpriced": "y"},
    )
    assert saved.status_code == 302
    page = client.get(f"/admin/{north.slug}/customers/{customer}/pricing").get_data(as_text=True)
    assert "1.99" in page and "BAG" in page and "ROL" not in page
    assert roll


def test_an_assortment_takes_only_this_bakerys_products(client, two_bakeries):
    north, south = two_bakeries
    app = client.application
    mine, theirs = add_product(app, north, sku="BAG"), add_product(app, south, sku="BAG")
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/assortments"
    refused = client.post(url, data={"name": "Cafés", "product_ids": [str(theirs)]})
    assert refused.status_code == 422 and "Choose products from the list." in refused.get_data(
        as_text=True
    )
    created = client.post(url, data={"name": "Cafés", "product_ids": [str(mine)]})
    assert created.status_code == 302
    listing = client.get(url).get_data(as_text=True)
    assert "Cafés" in listing and '<td data-label="Products">1</td>' in listing


def test_a_starter_bakery_sees_an_upgrade_prompt_instead_of_buyer_exports(client, app, bakeries):
    from tests.support.factories import make_bakery

    professional, _ = bakeries
    starter = make_bakery(app, "starter-bakery", plan="starter")
    customer = make_customer(app, starter)["id"]
    add_product(app, professional, sku="PRO-ONLY")
    sign_in_staff(client, starter)
    page = client.get(f"/admin/{starter.slug}/customers/{customer}/pricing").get_data(as_text=True)
    assert "with the Professional plan" in page and "catalog.pdf" not in page
    assert "PRO-ONLY" not in page and "BAG-01" not in page


def test_staff_edit_a_product_and_mark_it_sold_out_for_a_day(client, two_bakeries):
    north, south = two_bakeries
    app = client.application
    product = add_product(app, north)
    their_category = add_category(app, south, "Theirs")
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/products/{product}"
    form = client.get(url).get_data(as_text=True)
    assert 'value="2.50"' in form
    foreign = client.post(url, data={**PRODUCT, "category_id": str(their_category)})
    assert foreign.status_code == 422  # not one of this bakery's categories
    saved = client.post(url, data={**PRODUCT, "name": "Long baguette", "base_price": "2.75"})
    assert saved.status_code == 302
    marked = client.post(url + "/sold-out", data={"day": "2030-06-02", "sold_out": "y"})
    assert marked.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Long baguette" in page and 'value="2.75"' in page and "2030-06-02" in page


def test_a_products_coming_sold_out_days_start_at_the_bakerys_today_not_utcs(client, two_bakeries):
    from tenants.catalog.products import get_product, mark_sold_out
    from tenants.models import Tenant

    north, _ = two_bakeries
    app = client.application
    product_id = add_product(app, north)
    with tenant_session(app, north.id) as session:
        tenant = session.get(Tenant, north.id)
        tenant.timezone = "Pacific/Auckland"
        product = get_product(session, product_id)
        for day in (date(2026, 12, 1), date(2026, 12, 2)):
            mark_sold_out(session, tenant, actor=None, product=product, day=day, sold_out=True)
        session.commit()
    # 13:00 UTC on 1 December is already 02:00 on 2 December in Auckland: the 1st is past there.
    with freeze_time("2026-12-01 13:00:00"):
        sign_in_staff(client, north)
        page = client.get(f"/admin/{north.slug}/catalog/products/{product_id}").get_data(
            as_text=True
        )
    assert "Sold out on: 2026-12-02</p>" in page


def test_a_tax_rate_that_is_not_a_number_is_refused_next_to_the_field(client, bakeries):
    north, _ = bakeries
    sign_in_staff(client, north)
    for rate in ("NaN", "sNaN", "Infinity", "-inf"):
        response = client.post(
            f"/admin/{north.slug}/catalog/products/new", data={**PRODUCT, "tax_rate": rate}
        )
        assert response.status_code == 422, rate
        assert 'id="tax_rate-error">Enter a percentage like 10 or 12.5.' in (
            response.get_data(as_text=True)
        )
    with tenant_session(client.application, north.id) as session:
        assert session.scalar(select(Product.id)) is None


def test_prices_and_percentages_that_are_not_finite_are_refused_next_to_the_field(client, bakeries):
    north, _ = bakeries
    app = client.application
    product = add_product(app, north)
    price_list = add_price_list(app, north, "Cafés")
    sign_in_staff(client, north)
    huge = client.post(
        f"/admin/{north.slug}/catalog/products/new", data={**PRODUCT, "base_price": "1e999999999"}
    )
    assert huge.status_code == 422
    # Exponent syntax is Python's, not a person's: refused with the format, never scaled.
    assert 'id="base_price-error">Enter an amount like 3.40 or 1,234.50.' in huge.get_data(
        as_text=True
    )
    url = f"/admin/{north.slug}/catalog/price-lists/{price_list}/entries"
    for kind, value in (("percent", "NaN"), ("fixed", "Infinity"), ("fixed", "1e999999999")):
        response = client.post(url, data={"product_id": str(product), "kind": kind, "value": value})
        assert response.status_code == 422, value
        assert 'id="value-error">' in response.get_data(as_text=True)
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(PriceListEntry.id)) is None


def test_a_huge_category_position_is_refused_when_adding_or_reordering(client, bakeries):
    north, _ = bakeries
    app = client.application
    breads = add_category(app, north, "Breads", position=1)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/categories"
    added = client.post(url, data={"name": "Pastries", "position": "99999999999"})
    assert added.status_code == 422
    assert 'id="position-error">' in added.get_data(as_text=True)
    moved = client.post(f"{url}/{breads}", data={"name": "Breads", "position": "99999999999"})
    assert moved.status_code == 422
    assert "Breads: Number must be between 0 and 10000." in moved.get_data(as_text=True)
    with tenant_session(app, north.id) as session:
        assert [(c.name, c.position) for c in session.scalars(select(Category))] == [("Breads", 1)]


def test_a_category_position_out_of_range_is_refused_by_the_service_too(app, bakeries):
    from tenants.catalog.products import save_category
    from tenants.errors import ValidationFailed
    from tests.support.catalog import tenant_of

    north, _ = bakeries
    with tenant_session(app, north.id) as session:
        with pytest.raises(ValidationFailed) as refused:
            save_category(
                session, tenant_of(session, north), actor=None, name="Cakes", position=2**31
            )
        assert refused.value.field == "position"


def test_huge_whole_numbers_on_the_product_form_are_refused_next_to_their_fields(client, bakeries):
    north, _ = bakeries
    sign_in_staff(client, north)
    for name in ("pack_size", "min_order_qty", "qty_increment", "lead_time_days"):
        response = client.post(
            f"/admin/{north.slug}/catalog/products/new", data={**PRODUCT, name: "99999999999"}
        )
        assert response.status_code == 422, name
        assert f'id="{name}-error">' in response.get_data(as_text=True)
    with tenant_session(client.application, north.id) as session:
        assert session.scalar(select(Product.id)) is None


def test_product_pages_count_this_bakerys_matches_and_a_page_past_the_end_shows_the_last(
    client, two_bakeries
):
    north, south = two_bakeries
    app = client.application
    with tenant_session(app, north.id) as session:
        session.add_all(
            Product(sku=f"N-{i:03d}", name=f"Loaf {i:03d}", base_price_minor=100)
            for i in range(120)
        )
        session.add(Product(sku="ROLL-1", name="Roll", base_price_minor=80))
    add_product(app, south, sku="S-1", name="Loaf south")
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog"

    def skus(query):
        page = client.get(url + query).get_data(as_text=True)
        return page, [s for s in page.split('name="product_ids" value="')[1:]]

    page, rows = skus("?q=loaf&page=3")
    assert len(rows) == 20  # 120 loaves of this bakery, 50 a page: the third holds 20
    assert "120 product(s), page 3 of 3." in " ".join(page.split()) and "Loaf 119" in page
    page, rows = skus("?q=loaf&page=9")  # an old link past the end: the last page
    assert len(rows) == 20 and "120 product(s), page 3 of 3." in " ".join(page.split())
    page, rows = skus("?q=nothing-like-this")
    assert rows == [] and "No products match" in page


def test_the_product_list_filters_by_this_bakerys_category_and_ignores_anyone_elses(
    client, two_bakeries
):
    north, south = two_bakeries
    app = client.application
    breads = add_category(app, north, "Breads")
    cakes = add_category(app, north, "Cakes")
    foreign = add_category(app, south, "South only")
    add_product(app, north, sku="BRD-1", name="Rye loaf", category_id=breads)
    add_product(app, north, sku="CAK-1", name="Cheesecake", category_id=cakes)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog"
    page = client.get(f"{url}?category={cakes}").get_data(as_text=True)
    assert "Cheesecake" in page and "Rye loaf" not in page
    assert f'<option value="{cakes}" selected' in page
    assert "South only" not in page  # the filter offers this bakery's categories only
    for other in (foreign, "not-an-id"):
        page = client.get(f"{url}?category={other}").get_data(as_text=True)
        assert "Cheesecake" in page and "Rye loaf" in page
    # A search that matches nothing still offers every category, in their order.
    page = client.get(f"{url}?q=nothing-like-this").get_data(as_text=True)
    assert "No products match" in page
    assert page.index(f'<option value="{breads}"') < page.index(f'<option value="{cakes}"')
    assert "South only" not in page
