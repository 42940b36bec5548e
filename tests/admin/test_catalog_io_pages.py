"""Import page and its progress endpoint, CSV exports, and buyers' catalog exports."""

import io

from sqlalchemy import select

from tenants.catalog.models import Product
from tests.support.catalog import (
    add_price_list,
    add_product,
)
from tests.support.factories import make_bakery, make_customer, sign_in_staff, tenant_session


def upload(client, slug, text: bytes, **fields):
    data = {"kind": "products", "price_list_id": "", "file": (io.BytesIO(text), "p.csv"), **fields}
    return client.post(
        f"/admin/{slug}/catalog/import", data=data, content_type="multipart/form-data"
    )


def test_an_upload_runs_as_a_job_and_the_page_polls_its_progress(client, two_bakeries):
    north, south = two_bakeries
    sign_in_staff(client, north)
    response = upload(
        client, north.slug, b"sku,name,base_price\nBAG-01,Baguette,2.50\nCRO-01,Croissant,oops\n"
    )
    assert response.status_code == 302
    run_url = response.headers["Location"]
    progress = client.get(run_url + "/progress", headers={"Accept": "application/json"}).json
    assert (progress["status"], progress["done"], progress["total"]) == ("failed", 2, 2)
    assert progress["errors"] == [
        {"row": 3, "column": "base_price", "reason": "Enter an amount like 3.40 or 1,234.50."}
    ]
    page = client.get(run_url).get_data(as_text=True)
    assert "Nothing was imported" in page and "Enter an amount like 3.40" in page
    with tenant_session(client.application, north.id) as session:
        assert session.scalar(select(Product.id)) is None
    other = client.application.test_client()
    sign_in_staff(other, south)
    foreign = run_url.replace(north.slug, south.slug)
    assert other.get(foreign + "/progress").status_code == 404


def test_an_unreadable_upload_is_refused_on_the_form(client, bakeries):
    north, _ = bakeries
    sign_in_staff(client, north)
    response = upload(client, north.slug, b"name,price\nx,1\n")
    assert response.status_code == 422
    assert "Missing column(s): sku, base_price" in response.get_data(as_text=True)


def test_staff_export_products_as_csv_with_formulas_escaped(client, two_bakeries):
    north, south = two_bakeries
    add_product(client.application, north, sku="A-1", name="+cmd|' /C calc'!A0")
    add_product(client.application, south, sku="SOUTH-1")
    sign_in_staff(client, north)
    response = client.get(f"/admin/{north.slug}/catalog/export/products.csv")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and text.startswith("\ufeffsku,name,")
    assert "'+cmd" in text and "SOUTH-1" not in text


def test_a_customer_catalog_exports_as_csv_and_pdf_at_its_prices(client, two_bakeries):
    north, south = two_bakeries
    app = client.application
    product = add_product(app, north, name="Łódź rye loaf", price=400)
    cafes = add_price_list(app, north, "Cafés", entries=[(product, 350, None, [])])
    customer = make_customer(app, north, "Café Łódź", price_list_id=cafes)["id"]
    add_product(app, south, sku="SOUTH-1", name="South secret")
    sign_in_staff(client, north)
    csv_text = client.get(f"/admin/{north.slug}/customers/{customer}/catalog.csv").get_data(
        as_text=True
    )
    assert "Łódź rye loaf" in csv_text and "3.50" in csv_text and "South" not in csv_text
    pdf = client.get(f"/admin/{north.slug}/customers/{customer}/catalog.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert b"DejaVuSans" in pdf.data


def test_buyer_exports_need_the_catalog_export_feature(client, app, bakeries):
    professional, _ = bakeries
    starter = make_bakery(app, "starter-bakery", plan="starter")
    customer = make_customer(app, starter)["id"]
    theirs = make_customer(app, professional)["id"]  # same name, on a tier with the feature
    sign_in_staff(client, starter)
    response = client.get(f"/admin/{starter.slug}/customers/{customer}/catalog.pdf")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "come with the Professional plan" in page
    assert client.get(f"/admin/{starter.slug}/customers/{theirs}/catalog.pdf").status_code == 404
    other = app.test_client()
    sign_in_staff(other, professional)
    allowed = other.get(f"/admin/{professional.slug}/customers/{theirs}/catalog.csv")
    assert allowed.status_code == 200 and "BAG-01" not in allowed.get_data(as_text=True)
