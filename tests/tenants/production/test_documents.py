"""The day's PDFs and CSV, read back as text: names with ł, ő, € and & come through, every
packing slip has its own page with "Page x of y", and CSV cells cannot run as formulas."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from pypdf import PdfReader
from sqlalchemy import update

from config.clock import utcnow
from tenants.customers.models import DeliveryLocation
from tenants.production.documents import sheet_csv, sheet_pdf, slips_pdf
from tenants.production.packing import packing_slips
from tenants.production.sheet import production_sheet
from tests.support.catalog import add_product, tenant_of
from tests.support.factories import make_bakery, make_customer, tenant_session
from tests.support.production import add_day_order
from tests.tenants.production.conftest import DAY

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=utcnow().tzinfo)
PRODUCT = "Szőlő tart & €2 bun"
CUSTOMER = "Café Łukasz & Ő"
INSTRUCTIONS = "Back door & mind the dog (€1 tip jar by Łucja)"


def pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def setup_day(app, bakery, *, stops=3):
    product = add_product(app, bakery, sku="SZO-1", name=PRODUCT)
    formula = add_product(app, bakery, sku="FORM-1", name='=HYPERLINK("x")')
    numbers = []
    for i in range(stops):
        made = make_customer(app, bakery, f"{CUSTOMER} {i}", locations=(f"Stand {i}",))
        numbers.append(
            add_day_order(
                app,
                bakery,
                customer_id=made["id"],
                location_id=made["locations"][f"Stand {i}"],
                day=DAY,
                lines=[(product, 10 + i), (formula, 1)],
            )["number"]
        )
    return numbers


def test_the_sheet_pdf_and_slips_pdf_carry_unicode_names_and_a_page_per_slip(app):
    bakery = make_bakery(app, "lodz-bakery", name="Piekarnia Łódź & Co")
    other = make_bakery(app, "other-bakery", name="Other Bakery")
    setup_day(app, other, stops=2)  # never on this bakery's documents
    numbers = setup_day(app, bakery, stops=3)
    with tenant_session(app, bakery.id) as session:
        tenant = tenant_of(session, bakery)
        session.execute(update(DeliveryLocation).values(delivery_instructions=INSTRUCTIONS))
        sheet = production_sheet(session, tenant, day=DAY, now=NOW)
        sheet_text = pages(sheet_pdf(tenant, sheet))
        slips = packing_slips(session, tenant, day=DAY)
        slip_pages = pages(slips_pdf(tenant, DAY, slips))

    assert len(sheet_text) == 1
    assert "Piekarnia Łódź & Co" in sheet_text[0] and PRODUCT in sheet_text[0]
    assert "33" in sheet_text[0]  # 10 + 11 + 12 of the tart, from three orders
    assert "Page 1 of 1" in sheet_text[0]

    assert len(slip_pages) == 3 == len(slips)
    for index, (text, number) in enumerate(zip(slip_pages, numbers, strict=True)):
        assert f"{CUSTOMER} {index}" in text, text
        assert f"Order {number}" in text and PRODUCT in text and INSTRUCTIONS in text
        assert f"Page {index + 1} of 3" in text
        others = [f"{CUSTOMER} {i}" for i in range(3) if i != index]
        assert not any(name in text for name in others)  # one slip per page


def test_the_sheet_csv_escapes_formulas_and_keeps_unicode(app, two_bakeries):
    north, south = two_bakeries
    setup_day(app, north, stops=2)
    setup_day(app, south, stops=1)
    with tenant_session(app, north.id) as session:
        sheet = production_sheet(session, tenant_of(session, north), day=DAY, now=NOW)
    rows = list(csv.DictReader(io.StringIO(sheet_csv(sheet))))
    by_sku = {row["sku"]: row for row in rows}
    assert by_sku["SZO-1"]["product"] == PRODUCT and by_sku["SZO-1"]["quantity"] == "21"
    assert by_sku["SZO-1"]["orders"] == "2"
    assert by_sku["FORM-1"]["product"] == '\'=HYPERLINK("x")'
    assert by_sku["FORM-1"]["total"] == "2"
