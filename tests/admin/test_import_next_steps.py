"""A failed import says so plainly and offers the corrected upload; each import page offers a
template CSV, which imports as it is in the bakery's locale."""

import io

from sqlalchemy import select

from tenants.catalog.models import Product
from tenants.models import Tenant
from tests.support.factories import platform_session, sign_in_staff, tenant_session
from tests.support.html import page_text


def _upload(client, url, text: bytes, **fields):
    data = {"file": (io.BytesIO(text), "p.csv"), **fields}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    return response.headers["Location"]


def test_a_failed_import_says_how_many_rows_need_fixing_and_offers_a_corrected_upload(
    client, two_bakeries
):
    north, _ = two_bakeries
    sign_in_staff(client, north)
    run = _upload(
        client,
        f"/admin/{north.slug}/catalog/import",
        b"sku,name,base_price\nA,Rye,oops\nB,Spelt,2.10\nC,Oat,1_0\n",
        kind="products",
        price_list_id="",
    )
    page = client.get(run).get_data(as_text=True)
    assert "Import failed: 2 rows need fixing." in page
    assert f'href="/admin/{north.slug}/catalog/import">Upload a corrected file' in page
    assert f'href="/admin/{north.slug}/catalog/import/template.csv?kind=products"' in page
    customers = _upload(
        client, f"/admin/{north.slug}/customers/import", b"business_name,payment_terms\nX,never\n"
    )
    text = page_text(client.get(customers))
    assert "Import failed: 1 row needs fixing." in text


def test_each_import_page_offers_a_template_that_imports_as_it_is_in_the_locale(
    app, client, two_bakeries
):
    north, south = two_bakeries
    with platform_session(app) as session:
        session.get(Tenant, north.id).locale = "de_DE"
    sign_in_staff(client, north)
    catalog = client.get(f"/admin/{north.slug}/catalog/import").get_data(as_text=True)
    assert "template.csv?kind=products" in catalog and "template.csv?kind=price_list" in catalog
    assert "customers/import/template.csv" in client.get(
        f"/admin/{north.slug}/customers/import"
    ).get_data(as_text=True)
    template = client.get(f"/admin/{north.slug}/catalog/import/template.csv?kind=products")
    assert template.status_code == 200 and template.mimetype == "text/csv"
    body = template.get_data(as_text=True).lstrip("\ufeff")
    assert body.startswith("sku,name,") and '"2,50"' in body  # de_DE's decimal comma
    run = _upload(
        client,
        f"/admin/{north.slug}/catalog/import",
        body.encode(),
        kind="products",
        price_list_id="",
    )
    assert client.get(run + "/progress").json["status"] == "done"
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(Product.base_price_minor)) == 250
    with tenant_session(app, south.id) as session:
        assert session.scalar(select(Product.id)) is None
    customers = client.get(f"/admin/{north.slug}/customers/import/template.csv")
    assert customers.get_data(as_text=True).lstrip("\ufeff").startswith("business_name,")
    assert (
        client.get(f"/admin/{north.slug}/catalog/import/template.csv?kind=nope").status_code == 404
    )
