"""The back office's receivables pages: recording a payment through the form (amounts in the
bakery's locale, a split by hand, errors by their field), voiding it through the confirm step,
the ageing page, the customer's account and balance, the reminder settings, and the exports
(the Xero file's header and rows exactly, and formula escaping). Two bakeries each time."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from billing.receivables_models import Payment
from tests.support.catalog import tenant_of
from tests.support.factories import add_staff, make_customer, sign_in_staff, tenant_session
from tests.support.receivables import add_invoice, invoice_row, record

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with freeze_time("2026-11-20 12:00:00"):
        yield


@pytest.fixture
def cafes(app, two_bakeries):
    made = {}
    for bakery in two_bakeries:
        cafe = make_customer(app, bakery, "Café Aurora")["id"]
        first = add_invoice(app, bakery, cafe, total=123_450, due_date=date(2026, 11, 10))
        second = add_invoice(app, bakery, cafe, total=5_000, due_date=date(2026, 12, 1))
        made[bakery.slug] = (cafe, first, second)
    return made


def _set_locale(app, bakery, locale):
    with tenant_session(app, bakery.id) as session:
        tenant_of(session, bakery).locale = locale


def _payments(app, bakery):
    with tenant_session(app, bakery.id) as session:
        return [
            (p.amount_minor, p.allocated_minor, p.reference)
            for p in session.scalars(select(Payment))
        ]


def _paid(app, bakery, invoice_id):
    with tenant_session(app, bakery.id) as session:
        return invoice_row(session, invoice_id).paid_minor


@pytest.mark.parametrize(
    ("locale", "typed", "box"),
    [("en_GB", "1,284.50", "1,234.50"), ("de_DE", "1.284,50", "1.234,50")],
)
def test_staff_record_a_payment_typed_in_the_bakerys_locale(
    app, client, two_bakeries, cafes, locale, typed, box
):
    north, south = two_bakeries
    _set_locale(app, north, locale)
    cafe, first, second = cafes[north.slug]
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{cafe}/payments/new"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "INV-2026-0001" in html and "INV-2026-0002" in html
    response = client.post(
        url,
        data={
            "amount": typed,
            "received_on": "2026-11-19",
            "method": "bank_transfer",
            "reference": "TRF 0042",
            f"alloc_{first.hex}": box,
            f"alloc_{second.hex}": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _payments(app, north) == [(128_450, 123_450, "TRF 0042")]
    assert _paid(app, north, first) == 123_450 and _paid(app, north, second) == 0
    assert _payments(app, south) == []
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "kept as credit on the account" in shown
    assert "INV-2026-0001" in shown


def test_an_amount_in_the_wrong_locales_format_is_refused_by_its_field(
    app, client, two_bakeries, cafes
):
    north, _ = two_bakeries
    _set_locale(app, north, "de_DE")
    cafe, first, _ = cafes[north.slug]
    sign_in_staff(client, north)
    response = client.post(
        f"/admin/{north.slug}/customers/{cafe}/payments/new",
        data={"amount": "1,234.50", "received_on": "2026-11-19", "method": "cash"},
    )
    assert response.status_code == 422
    assert "Enter an amount like 3,40 or 1.234,50." in response.get_data(as_text=True)
    assert _payments(app, north) == []


def test_a_split_over_an_invoices_balance_is_refused_by_its_box_and_nothing_is_written(
    app, client, two_bakeries, cafes
):
    north, _ = two_bakeries
    cafe, _, second = cafes[north.slug]
    sign_in_staff(client, north)
    response = client.post(
        f"/admin/{north.slug}/customers/{cafe}/payments/new",
        data={
            "amount": "100.00",
            "received_on": "2026-11-19",
            "method": "cheque",
            f"alloc_{second.hex}": "60.00",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "INV-2026-0002 has less than that left to pay." in html
    assert _payments(app, north) == []


def test_empty_boxes_pay_the_oldest_invoice_first(app, client, two_bakeries, cafes):
    north, _ = two_bakeries
    cafe, first, second = cafes[north.slug]
    sign_in_staff(client, north)
    client.post(
        f"/admin/{north.slug}/customers/{cafe}/payments/new",
        data={"amount": "1,260.00", "received_on": "2026-11-20", "method": "cash"},
    )
    assert _paid(app, north, first) == 123_450 and _paid(app, north, second) == 2_550


def test_voiding_goes_through_the_confirm_step(app, client, two_bakeries, cafes):
    north, south = two_bakeries
    cafe, first, _ = cafes[north.slug]
    payment = record(app, north, cafe, 10_000)
    theirs = record(app, south, cafes[south.slug][0], 10_000)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{cafe}/payments/{payment}/void"
    ask = client.get(url).get_data(as_text=True)
    assert "Void the cash payment of €100.00 from Café Aurora?" in ask
    assert "€100.00 comes off INV-2026-0001" in ask
    assert _paid(app, north, first) == 10_000  # asking changed nothing
    missing_reason = client.post(url, data={"confirmed": "yes", "reason": ""})
    assert missing_reason.status_code == 422
    done = client.post(url, data={"confirmed": "yes", "reason": "Cheque bounced"})
    assert done.status_code == 302
    assert _paid(app, north, first) == 0
    assert _paid(app, south, cafes[south.slug][1]) == 10_000
    # Another bakery's payment through this bakery's URL is a 404.
    assert client.get(f"/admin/{north.slug}/customers/{cafe}/payments/{theirs}").status_code == 404


def test_staff_without_the_payments_permission_cannot_record(app, client, two_bakeries, cafes):
    north, _ = two_bakeries
    cafe, _, _ = cafes[north.slug]
    add_staff(app, north, email="sales@example.com", role="sales")
    sign_in_staff(client, north, "sales@example.com")
    assert client.get(f"/admin/{north.slug}/customers/{cafe}/payments/new").status_code == 403
    assert client.get(f"/admin/{north.slug}/receivables").status_code == 403


def test_the_ageing_page_and_the_customer_page_show_what_is_owed(app, client, two_bakeries, cafes):
    north, south = two_bakeries
    cafe, _, _ = cafes[north.slug]
    add_invoice(app, south, cafes[south.slug][0], total=999_900, due_date=date(2026, 6, 1))
    record(app, north, make_customer(app, north, "Only Credit")["id"], 700)
    sign_in_staff(client, north)
    html = client.get(f"/admin/{north.slug}/receivables").get_data(as_text=True)
    assert "Café Aurora" in html and "Only Credit" in html
    assert "€1,284.50" in html  # owed in total
    assert "€7.00" in html  # credit
    assert "€9,999.00" not in html  # the other bakery's debt
    detail = client.get(f"/admin/{north.slug}/customers/{cafe}").get_data(as_text=True)
    assert 'id="customer-balance"' in detail and "€1,234.50 overdue" in detail
    account = client.get(f"/admin/{north.slug}/customers/{cafe}/account").get_data(as_text=True)
    assert "INV-2026-0001" in account and "10 days late" in account


def test_the_reminder_settings_page_saves_the_schedule(app, client, two_bakeries):
    north, south = two_bakeries
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/settings/receivables"
    page = client.get(url).get_data(as_text=True)
    assert 'value="3"' in page and 'value="7, 14"' in page
    response = client.post(
        url,
        data={
            "reminders_enabled": "y",
            "before": "5",
            "after": "10, 30",
            "statements_enabled": "y",
            "statement_day": "3",
            "xero_account_code": "4000",
            "xero_tax_type": "{rate}% (VAT on Income)",
            "xero_zero_tax_type": "Zero Rated Income",
        },
    )
    assert response.status_code == 302
    from billing.receivables_settings import get_settings

    with tenant_session(app, north.id) as session:
        saved = get_settings(session)
        assert saved.reminder_steps == [-5, 10, 30] and saved.statement_day == 3
    with tenant_session(app, south.id) as session:
        assert get_settings(session).reminder_steps == [-3, 0, 7, 14]
    bad = client.post(url, data={**{"after": "seven"}, "statement_day": "3"})
    assert bad.status_code == 422
    assert "Enter whole days after the due date" in bad.get_data(as_text=True)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_xero_export_matches_xeros_sales_invoice_template(app, client, two_bakeries):
    north, south = two_bakeries
    cafe = make_customer(app, north, '=HYPERLINK("x")')["id"]
    add_invoice(
        app,
        north,
        cafe,
        issue_date=date(2026, 11, 3),
        due_date=date(2026, 11, 17),
        lines=[
            ("Sourdough loaf", 6, 450, Decimal("7")),
            ("-Croissant", 24, 120, Decimal("0")),
        ],
        bill_to_email="accounts@aurora.example",
        bill_to_address="12 Market Square\nOld Town\nRiverton\nRT1 2AB\nUK",
    )
    add_invoice(app, north, cafe, issue_date=date(2026, 10, 3))  # outside the period
    add_invoice(app, north, cafe, issue_date=date(2026, 11, 5), voided=True)
    add_invoice(
        app, south, make_customer(app, south, "South Café")["id"], issue_date=date(2026, 11, 4)
    )
    sign_in_staff(client, north)
    response = client.get(
        f"/admin/{north.slug}/receivables/xero.csv?date_from=2026-11-01&date_until=2026-11-30"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = _rows(response.get_data(as_text=True))
    assert rows[0] == [
        "*ContactName", "EmailAddress", "POAddressLine1", "POAddressLine2", "POAddressLine3",
        "POAddressLine4", "POCity", "PORegion", "POPostalCode", "POCountry", "*InvoiceNumber",
        "Reference", "*InvoiceDate", "*DueDate", "Total", "InventoryItemCode", "*Description",
        "*Quantity", "*UnitAmount", "Discount", "*AccountCode", "*TaxType", "TaxAmount",
        "TrackingName1", "TrackingOption1", "TrackingName2", "TrackingOption2", "Currency",
        "BrandingTheme",
    ]  # fmt: skip
    bill_to = rows[1][0]
    assert rows[1:] == [
        [
            bill_to, "accounts@aurora.example", "12 Market Square", "Old Town", "Riverton",
            "RT1 2AB, UK", "", "", "", "", "INV-2026-0001", "", "03/11/2026", "17/11/2026",
            "57.69", "", "Sourdough loaf (SKU-1)", "6", "4.50", "", "200",
            "7% (VAT on Income)", "1.89", "", "", "", "", "EUR", "",
        ],
        [
            bill_to, "accounts@aurora.example", "12 Market Square", "Old Town", "Riverton",
            "RT1 2AB, UK", "", "", "", "", "INV-2026-0001", "", "03/11/2026", "17/11/2026",
            "57.69", "", "'-Croissant (SKU-2)", "24", "1.20", "", "200",
            "Zero Rated Income", "0.00", "", "", "", "", "EUR", "",
        ],
    ]  # fmt: skip


def test_the_invoice_and_payment_exports_escape_formulas_and_keep_numbers(
    app, client, two_bakeries
):
    north, south = two_bakeries
    cafe = make_customer(app, north, "@Evil Café")["id"]
    add_invoice(app, north, cafe, total=2_000, issue_date=date(2026, 11, 3))
    record(app, north, cafe, 5_000, on=date(2026, 11, 19))  # 30.00 of it is credit
    add_invoice(app, south, make_customer(app, south, "South Only")["id"], total=1)
    sign_in_staff(client, north)
    invoices = _rows(
        client.get(f"/admin/{north.slug}/receivables/invoices.csv").get_data(as_text=True)
    )
    assert invoices[0][:5] == ["number", "customer", "issue_date", "due_date", "status"]
    assert invoices[1][:5] == ["INV-2026-0001", "'@Evil Café", "2026-11-03", "2026-11-17", "Paid"]
    assert invoices[1][8:12] == ["20.00", "0.00", "20.00", "0.00"]
    assert len(invoices) == 2
    paid = _rows(client.get(f"/admin/{north.slug}/receivables/payments.csv").get_data(as_text=True))
    assert paid[1][:9] == [
        "2026-11-19", "'@Evil Café", "Cash", "", "EUR", "50.00", "20.00", "30.00",
        "INV-2026-0001 (20.00)",
    ]  # fmt: skip


def test_from_an_invoice_page_the_form_pays_that_invoice(app, client, two_bakeries, cafes):
    north, _ = two_bakeries
    cafe, first, second = cafes[north.slug]
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{cafe}/payments/new?invoice_id={second}"
    html = client.get(url).get_data(as_text=True)
    box = re.search(rf'<input[^>]*name="alloc_{second.hex}"[^>]*>', html).group(0)
    assert 'value="50.00"' in box
    other = re.search(rf'<input[^>]*name="alloc_{first.hex}"[^>]*>', html).group(0)
    assert 'value=""' in other
    client.post(
        url,
        data={
            "amount": "50.00",
            "received_on": "2026-11-20",
            "method": "bank_transfer",
            f"alloc_{first.hex}": "",
            f"alloc_{second.hex}": "50.00",
        },
    )
    assert _paid(app, north, second) == 5_000 and _paid(app, north, first) == 0
