"""CSV exports of the catalog (the same columns the importer reads, so files round-trip)."""

from __future__ import annotations

from sqlalchemy import select

from config.numbers import format_number_input
from tenants.catalog.csv_io import write_csv
from tenants.catalog.csv_schemas import PRICE_COLUMNS, PRODUCT_COLUMNS, bake_days_text
from tenants.catalog.models import Category, PriceList, Product
from tenants.catalog.money import format_amount
from tenants.catalog.price_lists import list_entries


def _pct(value, locale: str) -> str:
    """A percentage cell as the importer reads it back in the bakery's locale ('12,5' in de)."""
    return format_number_input(value, locale)


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
            format_amount(p.base_price_minor, tenant.currency, tenant.locale),
            _pct(p.tax_rate, tenant.locale),
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
                    else format_amount(tier.unit_price_minor, tenant.currency, tenant.locale)
                )
                yield (
                    entry.product.sku,
                    tier.min_qty,
                    price,
                    _pct(tier.discount_percent, tenant.locale),
                )

    return write_csv(list(PRICE_COLUMNS), rows())
