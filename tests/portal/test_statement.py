"""The buyer's statement (page and PDF) and the payments on an invoice page: what the contact may
see only, credit for whole-account contacts only, in the bakery's language; two bakeries."""

from __future__ import annotations

import io
from datetime import date

import pytest
from freezegun import freeze_time
from pypdf import PdfReader

from tests.support.catalog import tenant_of
from tests.support.factories import (
    add_contact,
    make_buyer,
    sign_in_buyer,
    sign_in_staff,
    tenant_session,
)
from tests.support.receivables import add_invoice, record


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time("2026-11-20 12:00:00"):
        yield


@pytest.fixture
def accounts(app, two_bakeries):
    """Per bakery a café whose owner signs in: an overdue invoice at Main Street (part paid),
    one not yet due at Harbour, a paid one, and 5.00 of credit on account."""
    made = {}
    for bakery in two_bakeries:
        cafe = make_buyer(app, bakery, email="owner@cafe.example")
        main, harbour = cafe["locations"]["Main Street"], cafe["locations"]["Harbour"]
        overdue = add_invoice(
            app, bakery, cafe["id"], total=4_000, due_date=date(2026, 11, 10), location_id=main
        )
        upcoming = add_invoice(
            app, bakery, cafe["id"], total=2_500, due_date=date(2026, 12, 4), location_id=harbour
        )
        paid = add_invoice(app, bakery, cafe["id"], total=1_000, due_date=date(2026, 11, 1))
        record(app, bakery, cafe["id"], 1_000, allocations={str(paid): 1_000})
        record(app, bakery, cafe["id"], 1_500, allocations={str(overdue): 1_000})
        made[bakery.slug] = {**cafe, "invoices": (overdue, upcoming, paid)}
    return made


def test_the_owner_sees_every_open_invoice_and_the_credit(app, two_bakeries, accounts):
    north, south = two_bakeries
    add_invoice(app, south, accounts[south.slug]["id"], total=777_700)
    client = app.test_client()
    sign_in_buyer(client, north, "owner@cafe.example")
    html = client.get(f"/wholesale/{north.slug}/statement").get_data(as_text=True)
    assert "INV-2026-0001" in html and "INV-2026-0002" in html
    assert "INV-2026-0003" not in html  # paid
    assert "€55.00" in html  # 30.00 + 25.00 open
    assert "10 days overdue" in html
    assert 'id="statement-credit"' in html and "€5.00" in html and "€50.00" in html
    assert "€7,777.00" not in html
    invoices = client.get(f"/wholesale/{north.slug}/invoices").get_data(as_text=True)
    assert f"/wholesale/{north.slug}/statement" in invoices


def test_a_location_buyer_sees_their_locations_invoices_and_no_credit(app, two_bakeries, accounts):
    north, _ = two_bakeries
    cafe = accounts[north.slug]
    add_contact(
        app,
        north,
        cafe["id"],
        email="harbour@cafe.example",
        access_level="location",
        location_id=cafe["locations"]["Harbour"],
        grants=("view_orders", "view_invoices"),
    )
    client = app.test_client()
    sign_in_buyer(client, north, "harbour@cafe.example")
    html = client.get(f"/wholesale/{north.slug}/statement").get_data(as_text=True)
    assert "INV-2026-0002" in html and "INV-2026-0001" not in html
    assert 'id="statement-credit"' not in html


def test_a_buyer_without_view_invoices_gets_no_statement(app, two_bakeries, accounts):
    north, _ = two_bakeries
    add_contact(app, north, accounts[north.slug]["id"], email="cook@cafe.example")
    client = app.test_client()
    sign_in_buyer(client, north, "cook@cafe.example")
    assert client.get(f"/wholesale/{north.slug}/statement").status_code == 403
    assert client.get(f"/wholesale/{north.slug}/statement.pdf").status_code == 403


def test_the_statement_pdf_speaks_the_bakerys_language(app, two_bakeries, accounts):
    north, _ = two_bakeries
    with tenant_session(app, north.id) as session:
        tenant_of(session, north).locale = "de_DE"
    client = app.test_client()
    sign_in_buyer(client, north, "owner@cafe.example")
    response = client.get(f"/wholesale/{north.slug}/statement.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Kontoauszug für Café Aurora zum 20.11.2026" in text
    assert "INV-2026-0001" in text and "INV-2026-0003" not in text
    assert "Offene Rechnungen: 55,00 €" in text
    assert "Guthaben auf dem Konto: 5,00 €" in text
    assert "Seite 1 von 1" in text and "Page 1" not in text
    page = client.get(f"/wholesale/{north.slug}/statement").get_data(as_text=True)
    assert "Kontoauszug" in page and "seit 10 Tagen überfällig" in page


def test_invoice_pages_list_the_payments_against_them(app, two_bakeries, accounts):
    north, _ = two_bakeries
    overdue = accounts[north.slug]["invoices"][0]
    buyer = app.test_client()
    sign_in_buyer(buyer, north, "owner@cafe.example")
    html = buyer.get(f"/wholesale/{north.slug}/invoices/{overdue}").get_data(as_text=True)
    assert "Cash" in html and "€10.00" in html
    staff = app.test_client()
    sign_in_staff(staff, north)
    html = staff.get(f"/admin/{north.slug}/invoices/{overdue}").get_data(as_text=True)
    assert "With the payment" in html and "Record a payment" in html
    assert f"/admin/{north.slug}/customers/{accounts[north.slug]['id']}/payments/" in html
