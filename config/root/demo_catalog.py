"""Demo catalogs: categories, products, a default list and a café list with volume breaks."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tenants.catalog.models import Product
from tenants.catalog.price_lists import BreakInput, save_price_list, set_entry, update_settings
from tenants.catalog.products import category_by_name, create_product
from tenants.customers.models import Customer
from tenants.customers.pricing import assign_pricing

# (category, sku, name, unit, pack size, base price in minor units, bake days, increment)
ROSEMARY_RYE = [
    ("Breads", "BRD-SOUR", "Sourdough loaf", "loaf", 1, 420, "1111110", 1),
    ("Breads", "BRD-RYE", "Rosemary rye", "loaf", 1, 460, "1010100", 1),
    ("Breads", "BRD-BAG", "Baguette", "each", 1, 180, "1111111", 5),
    ("Breads", "BRD-SEED", "Seeded sandwich loaf", "loaf", 1, 390, "1111100", 1),
    ("Breads", "BRD-FOC", "Focaccia tray", "tray", 12, 1850, "0101010", 1),
    ("Viennoiserie", "VIE-CRO", "Butter croissant", "each", 1, 120, "1111111", 6),
    ("Viennoiserie", "VIE-PAC", "Pain au chocolat", "each", 1, 135, "1111111", 6),
    ("Viennoiserie", "VIE-CIN", "Cinnamon bun", "each", 1, 150, "1111110", 6),
    ("Viennoiserie", "VIE-ALM", "Almond croissant", "each", 1, 175, "0011111", 6),
    ("Cakes", "CAK-BAN", "Banana bread", "loaf", 1, 980, "1010100", 1),
    ("Cakes", "CAK-BRO", "Chocolate brownie tray", "tray", 16, 2200, "1111100", 1),
    ("Cakes", "CAK-LEM", "Lemon drizzle", "loaf", 1, 1050, "0101000", 1),
]
LITTLE_CRUMB = [
    ("Brot", "BROT-ROG", "Roggenbrot", "loaf", 1, 390, "1111110", 1),
    ("Brot", "BROT-BRE", "Brezel", "each", 1, 95, "1111111", 10),
    ("Gebäck", "GEB-CRO", "Croissant", "each", 1, 110, "1111111", 6),
    ("Gebäck", "GEB-KRA", "Franzbrötchen", "each", 1, 140, "1111100", 6),
]


def seed_demo_catalog(session, tenant, slug: str) -> None:
    """Create the demo catalog of `slug` once (skipped when the bakery has products)."""
    if session.scalar(select(Product.id).limit(1)) is not None:
        return
    rows = ROSEMARY_RYE if slug == "rosemary-rye" else LITTLE_CRUMB
    products = {}
    order = list(dict.fromkeys(row[0] for row in rows))
    for category, sku, name, unit, pack, price, days, step in rows:
        cat = category_by_name(session, tenant, category, create=True)
        cat.position = order.index(category)
        products[sku] = create_product(
            session,
            tenant,
            actor=None,
            sku=sku,
            name=name,
            unit=unit,
            pack_size=pack,
            base_price_minor=price,
            bake_days=days,
            qty_increment=step,
            min_order_qty=step,
            category_id=cat.id,
            tax_rate=Decimal("0"),
            lead_time_days=1,
        )
    standard = save_price_list(session, tenant, actor=None, name="Standard wholesale")
    for sku, product in products.items():
        # The standard terms: list prices, and 5% off viennoiserie from 48 pieces.
        breaks = [BreakInput(48, None, Decimal("5"))] if sku.startswith(("VIE-", "GEB-")) else []
        set_entry(
            session,
            tenant,
            actor=None,
            price_list=standard,
            product=product,
            discount_percent=Decimal("0"),
            breaks=breaks,
        )
    update_settings(session, tenant, actor=None, default_price_list=standard, hide_unpriced=False)
    if slug != "rosemary-rye":
        return
    cafes = save_price_list(session, tenant, actor=None, name="Cafés (negotiated)")
    set_entry(
        session,
        tenant,
        actor=None,
        price_list=cafes,
        product=products["VIE-CRO"],
        unit_price_minor=110,
        breaks=[BreakInput(24, 100), BreakInput(60, 92)],
    )
    set_entry(
        session,
        tenant,
        actor=None,
        price_list=cafes,
        product=products["VIE-PAC"],
        unit_price_minor=125,
        breaks=[BreakInput(24, 115)],
    )
    set_entry(
        session,
        tenant,
        actor=None,
        price_list=cafes,
        product=products["BRD-SOUR"],
        discount_percent=Decimal("10"),
        breaks=[BreakInput(10, None, Decimal("15"))],
    )
    set_entry(
        session,
        tenant,
        actor=None,
        price_list=cafes,
        product=products["BRD-BAG"],
        unit_price_minor=170,
        breaks=[BreakInput(20, 160), BreakInput(50, 150)],
    )
    # Two customers on two different lists, so the demo shows both: Café Aurora on the
    # negotiated café prices, Corner Deli on the standard terms (named, not just by default).
    for name, price_list in (("Café Aurora", cafes), ("Corner Deli", standard)):
        customer = session.scalar(select(Customer).where(Customer.business_name == name))
        if customer is not None:
            assign_pricing(
                session,
                tenant,
                actor=None,
                customer=customer,
                price_list=price_list,
                assortment=None,
            )
