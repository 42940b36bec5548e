"""CSV exports of the catalog (the same columns the importer reads, so files round-trip)."""

from __future__ import annotations

from sqlalchemy import select

from tenants.catalog.csv_io import write_csv
from tenants.catalog.csv_schemas import PRICE_COLUMNS, PRODUCT_COLUMNS, bake_days_text
from tenants.catalog.models import Category, PriceList, Product
from tenants.catalog.money import format_amount
from tenants.catalog.price_lists import list_entries


def _pct(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


def products_csv(session, tenant) -> str:
    """Every product of the bakery as the products CSV."""
    stmt = (
        select(Product, Category.name)
        .outerjoin(
            Category,
            (Category.tenant_id == Product.tenant_id) & (Category.id == Product.category_id),
        )
        .order_by(Product.sku)
    )
    rows = (
        (
            p.sku,
            p.name,
            p.description,
            category or "",
            p.unit,
            p.pack_size,
            format_amount(p.base_price_minor, tenant.currency),
            _pct(p.tax_rate),
            "yes" if p.active else "no",
            p.min_order_qty,
            p.qty_increment,
            p.lead_time_days,
            bake_days_text(p.bake_days),
            p.available_from or "",
            p.available_until or "",
        )
        for p, category in session.execute(stmt)
    )
    return write_csv(list(PRODUCT_COLUMNS), rows)


def price_list_csv(session, tenant, price_list: PriceList) -> str:
    """A price list as rows of (sku, min_qty, unit_price, discount_percent)."""

    def rows():
        for entry in sorted(list_entries(session, price_list), key=lambda e: e.product.sku):
            for tier in entry.tiers:
                price = (
                    ""
                    if tier.unit_price_minor is None
                    else format_amount(tier.unit_price_minor, tenant.currency)
                )
                yield (entry.product.sku, tier.min_qty, price, _pct(tier.discount_percent))

    return write_csv(list(PRICE_COLUMNS), rows())
