"""A customer's own catalog at that customer's prices, as CSV and as a branded PDF.

A Professional feature (`catalog_export`): every function checks the gate itself, so the portal,
the back office and any job get the same answer. The CSV holds plain amounts for spreadsheets;
the PDF is a `tenants.pdf` document (Unicode fonts, escaped text, page x of y) with prices in the
bakery's money format.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm

from config.money import money_formatter
from tenants.catalog.csv_io import write_csv
from tenants.catalog.money import format_amount
from tenants.catalog.quotes import customer_catalog
from tenants.pdf import BrandedDocument, Column, Group
from tenants.plans import require_feature

BUYER_COLUMNS = [
    "sku",
    "name",
    "category",
    "unit",
    "pack_size",
    "min_order_qty",
    "qty_increment",
    "unit_price",
    "price_rule",
    "volume_break",
]


def _break_text(line, currency) -> str:
    nb = line.quote.next_break
    return (
        "" if nb is None else f"from {nb.min_qty}: {format_amount(nb.unit_price_minor, currency)}"
    )


def buyer_catalog_csv(session, tenant, *, customer, on: date) -> str:
    """The customer's catalog with its prices as CSV (cells escaped against formulas)."""
    require_feature(tenant, "catalog_export")
    rows = (
        (
            line.product.sku,
            line.product.name,
            line.category_name,
            line.product.unit,
            line.product.pack_size,
            line.product.min_order_qty,
            line.product.qty_increment,
            format_amount(line.quote.unit_price_minor, tenant.currency),
            line.quote.detail,
            _break_text(line, tenant.currency),
        )
        for line in customer_catalog(session, tenant, customer=customer, on=on)
    )
    return write_csv(BUYER_COLUMNS, rows)


def buyer_catalog_pdf(session, tenant, *, customer, on: date) -> bytes:
    """The customer's catalog with its prices as a PDF in the bakery's colours, grouped by
    category, prices in the bakery's money format."""
    require_feature(tenant, "catalog_export")
    money = money_formatter(tenant.locale, tenant.currency)
    doc = BrandedDocument(
        tenant,
        title="Catalog",
        subtitle=(
            f"Price list for {customer.display_name} · {on.isoformat()} · "
            f"prices in {tenant.currency}, excluding tax"
        ),
    )
    columns = [
        Column("SKU", 30 * mm),
        Column("Product", 75 * mm),
        Column("Unit", 22 * mm),
        Column("Price", 20 * mm, right=True),
        Column("Volume price", doc.width - 147 * mm),
    ]
    rows: list = []
    category = None
    for line in customer_catalog(session, tenant, customer=customer, on=on):
        if line.category_name != category:
            category = line.category_name
            rows.append(Group(category or "Other"))
        product, nb = line.product, line.quote.next_break
        unit = product.unit + (f" × {product.pack_size}" if product.pack_size > 1 else "")
        rows.append(
            [
                product.sku,
                product.name,
                unit,
                money(line.quote.unit_price_minor),
                "" if nb is None else f"from {nb.min_qty}: {money(nb.unit_price_minor)}",
            ]
        )
    doc.add_table(columns, rows)
    return doc.render()
