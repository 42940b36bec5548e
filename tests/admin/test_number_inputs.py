"""Every money, percent and quantity box, and every CSV number cell, is read in the bakery's
locale by the one parser: `3,40` is 3.40 in de_DE and refused in en_GB, never 340.00."""

import io

import pytest
from sqlalchemy import select

from tenants.catalog.models import PriceListEntry, Product, VolumeBreak
from tenants.customers.models import Customer
from tenants.models import Plan, Tenant
from tests.admin.test_catalog_pages import PRODUCT
from tests.support.catalog import add_price_list, add_product
from tests.support.factories import (
    make_operator,
    platform_session,
    sign_in_operator,
    sign_in_staff,
    tenant_session,
)

# (locale, what a person there types for three pounds forty, for 1234.50, for twelve and a half)
LOCALES = [("en_GB", "3.40", "1,234.50", "12.5"), ("de_DE", "3,40", "1.234,50", "12,5")]
WRONG = {"en_GB": "3,40", "de_DE": "3.40"}  # the other convention, ambiguous here
FORMAT = {"en_GB": "3.40 or 1,234.50", "de_DE": "3,40 or 1.234,50"}


def set_locale(app, bakery, locale):
    with platform_session(app) as session:
        session.get(Tenant, bakery.id).locale = locale


def _product(app, bakery, sku="BAG-01"):
    """(id, base price, tax rate as text, pack size) of the product, or None."""
    with tenant_session(app, bakery.id) as session:
        p = session.scalar(select(Product).where(Product.sku == sku))
        return p and (p.id, p.base_price_minor, str(p.tax_rate), p.pack_size)


@pytest.mark.parametrize(("locale", "small", "big", "pct"), LOCALES)
def test_a_product_form_reads_price_tax_and_quantities_in_the_bakerys_locale(
    client, bakeries, locale, small, big, pct
):
    north, _ = bakeries
    set_locale(client.application, north, locale)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/products/new"
    data = {**PRODUCT, "base_price": big, "tax_rate": pct, "pack_size": "1" + big[1] + "200"}
    assert client.post(url, data=data).status_code == 302
    product_id, *values = _product(client.application, north)
    assert values == [123450, "12.50", 1200]
    # the edit form shows the stored values so that saving it again changes nothing
    page = client.get(f"/admin/{north.slug}/catalog/products/{product_id}").get_data(True)
    assert f'value="{big.replace(big[1], "")}"' in page and f'value="{pct}"' in page


@pytest.mark.parametrize(("locale", "small", "big", "pct"), LOCALES)
def test_a_price_in_the_other_convention_is_refused_next_to_the_field_not_scaled(
    client, bakeries, locale, small, big, pct
):
    north, _ = bakeries
    set_locale(client.application, north, locale)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/products/new"
    for field, value in (("base_price", WRONG[locale]), ("tax_rate", "1_0"), ("pack_size", "1.5")):
        response = client.post(url, data={**PRODUCT, field: value})
        assert response.status_code == 422, (field, value)
        page = response.get_data(as_text=True)
        assert f'id="{field}-error">' in page
        if field == "base_price":
            assert f"Enter an amount like {FORMAT[locale]}." in page
    assert _product(client.application, north) is None


@pytest.mark.parametrize(("locale", "small", "big", "pct"), LOCALES)
def test_a_price_list_entry_reads_prices_percentages_and_breaks_in_the_locale(
    client, bakeries, locale, small, big, pct
):
    north, _ = bakeries
    app = client.application
    set_locale(app, north, locale)
    product = add_product(app, north, price=400)
    croissant = add_product(app, north, sku="CRO-01", name="Croissant", price=400)
    price_list = add_price_list(app, north, "Cafés")
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/price-lists/{price_list}/entries"
    fixed = {
        "product_id": str(product),
        "kind": "fixed",
        "value": small,
        "breaks": f"12 {small[0]}{small[1]}10",
    }
    assert client.post(url, data=fixed).status_code == 302
    percent = {
        "product_id": str(croissant),
        "kind": "percent",
        "value": pct,
        "breaks": f"48 {pct}%",
    }
    assert client.post(url, data=percent).status_code == 302
    wrong = client.post(url, data={**fixed, "value": WRONG[locale], "breaks": ""})
    assert wrong.status_code == 422 and FORMAT[locale] in wrong.get_data(as_text=True)
    with tenant_session(app, north.id) as session:
        entries = {
            e.product_id: (e.unit_price_minor, e.discount_percent)
            for e in session.scalars(select(PriceListEntry))
        }
        tiers = sorted(
            (t.min_qty, t.unit_price_minor, t.discount_percent)
            for t in session.scalars(select(VolumeBreak))
        )
    assert entries[product][0] == 340 and str(entries[croissant][1]) == "12.50"
    assert [t[:2] for t in tiers if t[1] is not None] == [(12, 310)]
    assert [str(t[2]) for t in tiers if t[2] is not None] == ["12.50"]


@pytest.mark.parametrize(("locale", "small", "big", "pct"), LOCALES)
def test_a_customers_minimum_order_is_read_in_the_locale(
    app, client, two_bakeries, locale, small, big, pct
):
    north, _ = two_bakeries
    set_locale(app, north, locale)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/new"
    base = {"business_name": "Café Aurora", "payment_terms": "net_30"}
    for bad in (WRONG[locale], "sNaN", "1_000"):
        refused = client.post(url, data={**base, "minimum_order": bad})
        assert refused.status_code == 422, bad
        assert 'id="minimum_order-error">Enter an amount like' in refused.get_data(True)
    assert client.post(url, data={**base, "minimum_order": big}).status_code == 302
    with tenant_session(app, north.id) as session:
        assert [c.minimum_order_minor for c in session.scalars(select(Customer))] == [123450]


def test_the_operators_tier_price_refuses_snan_and_python_digit_grouping(app, two_bakeries):
    make_operator(app)
    client = app.test_client()
    sign_in_operator(client)
    base = {"name": "Plus", "code": "plus", "features": [], "max_customers": "40"}
    for bad in ("sNaN", "NaN", "1_000", "1e3"):
        response = client.post("/platform/tiers/new", data={**base, "monthly_price": bad})
        assert response.status_code in (400, 422), bad
        assert 'id="monthly_price-error">Enter an amount like' in response.get_data(True)
    grouped = client.post(
        "/platform/tiers/new", data={**base, "monthly_price": "1", "max_customers": "1_000"}
    )
    assert grouped.status_code in (400, 422)
    with platform_session(app) as session:
        assert session.scalar(select(Plan).where(Plan.code == "plus")) is None


def _import(client, slug, text: str, **fields):
    data = {
        "kind": "products",
        "price_list_id": "",
        "file": (io.BytesIO(text.encode()), "p.csv"),
        **fields,
    }
    response = client.post(
        f"/admin/{slug}/catalog/import", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    return client.get(response.headers["Location"] + "/progress").json


@pytest.mark.parametrize(("locale", "small", "big", "pct"), LOCALES)
def test_a_products_csv_reads_prices_tax_and_quantities_in_the_locale(
    client, bakeries, locale, small, big, pct
):
    north, _ = bakeries
    set_locale(client.application, north, locale)
    sign_in_staff(client, north)
    header = "sku,name,base_price,tax_rate,pack_size\n"
    bad = _import(client, north.slug, header + f'BAG-01,Baguette,"{WRONG[locale]}",0,1\n')
    assert bad["status"] == "failed"
    assert bad["errors"] == [
        {"row": 2, "column": "base_price", "reason": f"Enter an amount like {FORMAT[locale]}."}
    ]
    python = _import(client, north.slug, header + "BAG-01,Baguette,1_000,sNaN,1e3\n")
    assert {e["column"] for e in python["errors"]} == {"base_price", "tax_rate", "pack_size"}
    assert _product(client.application, north) is None
    quantity = f"1{big[1]}200"
    good = _import(client, north.slug, header + f'BAG-01,Baguette,"{big}","{pct}","{quantity}"\n')
    assert good["status"] == "done", good
    assert _product(client.application, north)[1:] == (123450, "12.50", 1200)


@pytest.mark.parametrize(("locale", "small", "big", "pct"), LOCALES)
def test_a_price_list_csv_reads_prices_and_percentages_in_the_locale_and_exports_alike(
    client, bakeries, locale, small, big, pct
):
    north, _ = bakeries
    app = client.application
    set_locale(app, north, locale)
    add_product(app, north, price=400)
    add_product(app, north, sku="CRO-01", name="Croissant", price=400)
    price_list = add_price_list(app, north, "Cafés")
    sign_in_staff(client, north)
    text = f'sku,min_qty,unit_price,discount_percent\nBAG-01,1,"{small}",\nCRO-01,1,,"{pct}"\n'
    result = _import(client, north.slug, text, kind="price_list", price_list_id=str(price_list))
    assert result["status"] == "done", result
    with tenant_session(app, north.id) as session:
        values = {
            (e.unit_price_minor, e.discount_percent and str(e.discount_percent))
            for e in session.scalars(select(PriceListEntry))
        }
    assert values == {(None, "12.50"), (340, None)}
    exported = client.get(f"/admin/{north.slug}/catalog/price-lists/{price_list}/export.csv")
    assert exported.status_code == 200
    body = exported.get_data(as_text=True)
    assert (f'"{small}"' if "," in small else small) in body
