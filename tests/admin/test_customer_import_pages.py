"""The customers import page, its progress page and the customers CSV download."""

import io

from tests.support.factories import add_staff, make_customer, sign_in_staff
from tests.support.html import page_text

CSV = "business_name,trading_name,phone\nCafé Aurora,Aurora,+44 1\nCorner Deli,,\n".encode()


def upload(client, slug, data: bytes, **fields):
    return client.post(
        f"/admin/{slug}/customers/import",
        data={"file": (io.BytesIO(data), "customers.csv"), **fields},
        content_type="multipart/form-data",
    )


def test_sales_staff_import_customers_and_follow_the_progress(app, client, two_bakeries):
    north, south = two_bakeries
    make_customer(app, south, "Café Aurora", trading_name="South secret")
    add_staff(app, north, email="sales@example.com", role="sales")
    sign_in_staff(client, north, "sales@example.com")
    assert "Import CSV" in page_text(client.get(f"/admin/{north.slug}/customers"))
    response = upload(client, north.slug, CSV)
    assert response.status_code == 302
    run_url = response.headers["Location"]
    assert run_url.startswith(f"/admin/{north.slug}/customers/import/")
    progress = client.get(run_url + "/progress").json
    assert (progress["status"], progress["done"], progress["total"]) == ("done", 2, 2)
    assert progress["summary"]["created"] == 2
    page = page_text(client.get(run_url))
    assert "Created 2, updated 0, unchanged 0." in page and "catalog_import.js" not in page
    listing = page_text(client.get(f"/admin/{north.slug}/customers"))
    assert "Corner Deli" in listing and "South secret" not in listing
    # the run is not a catalog import, and the other bakery cannot open it
    run_id = run_url.rsplit("/", 1)[1]
    owner = app.test_client()
    sign_in_staff(owner, north)
    assert owner.get(f"/admin/{north.slug}/catalog/import/{run_id}").status_code == 404
    assert owner.get(run_url).status_code == 200
    other = app.test_client()
    sign_in_staff(other, south)
    assert other.get(f"/admin/{south.slug}/customers/import/{run_id}").status_code == 404


def test_a_failed_import_shows_its_row_errors_and_writes_nothing(app, client, two_bakeries):
    north, south = two_bakeries
    sign_in_staff(client, north)
    data = b"business_name,billing_email\nGood,\nBad,not-an-email\n"
    run_url = upload(client, north.slug, data).headers["Location"]
    page = page_text(client.get(run_url))
    assert "Nothing was imported" in page and "Enter a valid email address." in page
    assert "Good" not in page_text(client.get(f"/admin/{north.slug}/customers"))
    with_valid = upload(client, north.slug, data, import_valid_rows="y").headers["Location"]
    assert "skipped 1 row(s) with errors" in page_text(client.get(with_valid))
    other = app.test_client()
    sign_in_staff(other, south)
    assert "Good" not in page_text(other.get(f"/admin/{south.slug}/customers"))


def test_an_unreadable_file_is_refused_next_to_the_field(app, client, two_bakeries):
    north, _ = two_bakeries
    sign_in_staff(client, north)
    response = upload(client, north.slug, b"name,phone\nx,1\n")
    assert response.status_code == 422
    assert "Missing column(s): business_name" in page_text(response)


def test_who_may_import_and_export_customers(app, two_bakeries):
    north, south = two_bakeries
    make_customer(app, north, "=cmd|' /C calc'!A0")
    make_customer(app, south, "South Only")
    add_staff(app, north, email="acc@example.com", role="accounts")
    add_staff(app, north, email="prod@example.com", role="production")
    accounts = app.test_client()
    sign_in_staff(accounts, north, "acc@example.com")
    assert accounts.get(f"/admin/{north.slug}/customers/import").status_code == 403
    assert upload(accounts, north.slug, CSV).status_code == 403
    export = accounts.get(f"/admin/{north.slug}/customers/export.csv")
    text = export.get_data(as_text=True)
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert text.startswith("\ufeffbusiness_name,") and "'=cmd" in text
    assert "South Only" not in text
    production = app.test_client()
    sign_in_staff(production, north, "prod@example.com")
    assert production.get(f"/admin/{north.slug}/customers/export.csv").status_code == 403
