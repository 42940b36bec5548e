"""Template CSV files to start an import from: the columns the importer reads and one example
row, with numbers written in the bakery's locale (the importer reads them back the same way)."""

from __future__ import annotations

from decimal import Decimal

from config.numbers import format_number_input
from tenants.catalog.csv_io import write_csv
from tenants.catalog.csv_schemas import PRICE_COLUMNS, PRODUCT_COLUMNS
from tenants.catalog.money import format_amount


def template_csv(kind: str, tenant) -> str:
    """The template of catalog import `kind` ('products' or 'price_list'); the customers
    template is tenants.customers.csv_import.template_csv."""
    loc = tenant.locale
    if kind == "products":
        example = {
            "sku": "BAG-01",
            "name": "Baguette",
            "category": "Breads",
            "unit": "each",
            "pack_size": "1",
            "base_price": format_amount(250, tenant.currency, loc),
            "tax_rate": format_number_input(Decimal("7"), loc),
            "active": "yes",
            "min_order_qty": "1",
            "qty_increment": "1",
            "lead_time_days": "1",
            "bake_days": "Mon Tue Wed Thu Fri",
        }
        return write_csv(list(PRODUCT_COLUMNS), [[example.get(c, "") for c in PRODUCT_COLUMNS]])
    if kind == "price_list":
        rows = [
            ["BAG-01", "1", format_amount(220, tenant.currency, loc), ""],
            ["BAG-01", "12", "", format_number_input(Decimal("12.5"), loc)],
        ]
        return write_csv(list(PRICE_COLUMNS), rows)
    raise ValueError(f"no template for {kind!r}")
