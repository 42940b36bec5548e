"""The invoice PDF: Unicode names, user text printed as typed, delivered quantities and
discounts, tax per rate, credits and amount due, many pages with "page x of y", and a golden
file (byte-stable output). Set UPDATE_GOLDEN=1 to rewrite the golden file after a deliberate
change, then look at it (pdftoppm) before committing."""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.support.catalog import add_product, tenant_of
from tests.support.factories import tenant_session
from tests.support.invoices import delivered_order, order_line_ids, set_mode
from tests.support.orders import customer_row

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
GOLDEN = Path(__file__).parent / "golden" / "invoice.pdf"


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _prepare(app, shop, *, lines):
    """Branding, billing details, a Unicode customer, one delivered order; returns its id."""
    from billing.delivery import LineDelivery, record_delivery
    from billing.settings import update_customer_billing
    from tenants.orders.queries import get_order

    set_mode(
        app,
        shop.bakery,
        "per_delivered_order",
        invoice_prefix="RR-",
        tax_number="DE 123 456 789",
        bank_details="IBAN DE89 3704 0044 0532 0130 00 & BIC COBADEFFXXX",
        payment_instructions="Quote <your invoice number> as the reference.",
    )
    with tenant_session(app, shop.bakery.id) as session:
        tenant = tenant_of(session, shop.bakery)
        tenant.name, tenant.address = "Łódź Bakery", "ul. Piotrkowska 1\n90-001 Łódź"
        customer = customer_row(session, shop.customer["id"])
        customer.business_name, customer.tax_number = "Café Ömer <b> & Sőns", "PL 555"
        update_customer_billing(
            session,
            tenant,
            actor=None,
            customer=customer,
            invoicing_mode="",
            billing_address="Rue de l'Église 4\n1000 Bruxelles",
        )
    order = delivered_order(
        app,
        shop.bakery,
        customer_id=shop.customer["id"],
        location_id=shop.main,
        day=date(2026, 12, 3),
        lines=lines,
        po_number="PO-77 <x>",
    )
    first_line = order_line_ids(app, shop.bakery, order)[0]
    with tenant_session(app, shop.bakery.id) as session:
        record_delivery(
            session,
            tenant_of(session, shop.bakery),
            actor=None,
            order=get_order(session, order),
            customer=customer_row(session, shop.customer["id"]),
            lines=[LineDelivery(first_line, delivered=18)],
            now=NOW,
        )
    return order


def _invoice_pdf(app, shop, order, *, credit=True):
    from billing.credits import issue_credit_note
    from billing.documents import invoice_pdf
    from billing.invoicing import issue_invoice
    from billing.models import InvoiceLine
    from tenants.orders.models import Order

    with tenant_session(app, shop.bakery.id) as session:
        tenant = tenant_of(session, shop.bakery)
        invoice = issue_invoice(
            session,
            tenant,
            customer=customer_row(session, shop.customer["id"]),
            orders=[session.scalar(select(Order).where(Order.id == order))],
            mode="per_delivered_order",
            now=NOW,
        )
        if credit:
            line = session.scalar(
                select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).limit(1)
            )
            issue_credit_note(
                session,
                tenant,
                actor=None,
                invoice=invoice,
                quantities={line.id: 1},
                reason="One crushed",
                now=NOW,
            )
        return invoice_pdf(session, tenant, invoice, now=NOW)


@pytest.fixture
def unicode_products(app, shops):
    north = shops[0]
    kurtos = add_product(
        app, north.bakery, sku="KUR-1", name="Kürtőskalács <special>", price=400, tax_rate=7
    )
    return north, kurtos


def test_the_invoice_prints_unicode_and_user_text_as_typed(app, unicode_products):
    north, kurtos = unicode_products
    order = _prepare(app, north, lines=[(kurtos, 20, 350), (north.roll, 6, None)])
    text = "\n".join(_text(_invoice_pdf(app, north, order)))
    for expected in (
        "Łódź Bakery",
        "Café Ömer <b> & Sőns",
        "Kürtőskalács <special>",
        "€",
        "PO-77 <x>",
        "Invoice RR-2026-0001",
        "Tax number: DE 123 456 789",
        "Rue de l'Église 4",
        "& BIC COBADEFFXXX",
        "Quote <your invoice number> as the reference.",
        "ordered 20, delivered 18",
        "base €4.00",
        "Credit note CN-2026-0001",
        "Amount due",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    # Tax per rate: 7 % on 18 x 3.50 = 63.00 and 19 % on 6 x 0.80 = 4.80.
    assert re.search(r"Tax 7 % on €63\.00\s*€4\.41", text)
    assert re.search(r"Tax 19 % on €4\.80\s*€0\.91", text)


def test_a_300_line_invoice_runs_over_pages_with_headers_and_page_numbers(app, shops):
    north = shops[0]
    products = [
        add_product(app, north.bakery, sku=f"P-{i:03d}", name=f"Loaf {i}", price=100 + i)
        for i in range(300)
    ]
    order = delivered_order(
        app,
        north.bakery,
        customer_id=north.customer["id"],
        location_id=north.main,
        day=date(2026, 12, 3),
        lines=[(p, 1, None) for p in products],
    )
    pages = _text(_invoice_pdf(app, north, order, credit=False))
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Unit price" in page  # the table header repeats
    assert "Loaf 299" in pages[-1]


def test_the_invoice_pdf_matches_its_golden_file(app, unicode_products):
    north, kurtos = unicode_products
    order = _prepare(app, north, lines=[(kurtos, 20, 350), (north.roll, 6, None)])
    pdf = _invoice_pdf(app, north, order)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(pdf)
    assert pdf == GOLDEN.read_bytes()
