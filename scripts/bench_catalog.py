"""The priced catalog the benchmarks build, written with bulk inserts (one place for it).

`n` products, a default price list at 5% off every product, and a negotiated list pricing every
other product 10 minor units under base with volume breaks at 12, 48 and 96. Returns what the
benchmarks need: the product rows, both list ids and how many entries and breaks were written.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert

BREAKS = ((12, 20), (48, 30), (96, 40))  # (from quantity, minor units under the entry price)


@dataclass
class PricedCatalog:
    products: list[dict]
    default_id: uuid.UUID
    negotiated_id: uuid.UUID
    entries: int
    breaks: int


def seed_priced_catalog(
    session,
    tid,
    n: int,
    rng: random.Random,
    *,
    prices: tuple[int, int] = (50, 5000),
    tax_rate: Decimal = Decimal("0"),
    sku_digits: int = 5,
) -> PricedCatalog:
    """Write the catalog for bakery `tid` (already bound to `session`); see the module doc."""
    from tenants.catalog.models import (
        CatalogSettings,
        PriceList,
        PriceListEntry,
        Product,
        VolumeBreak,
    )

    products = [
        {
            "tenant_id": tid,
            "id": uuid.uuid4(),
            "sku": f"SKU-{i:0{sku_digits}d}",
            "name": f"Product {i}",
            "description": "",
            "unit": "each",
            "pack_size": 1,
            "base_price_minor": rng.randint(*prices),
            "tax_rate": tax_rate,
            "active": True,
            "min_order_qty": 1,
            "qty_increment": 1,
            "lead_time_days": 0,
            "bake_days": "1111111",
        }
        for i in range(n)
    ]
    session.execute(insert(Product), products)
    default_id, negotiated_id = uuid.uuid4(), uuid.uuid4()
    session.execute(
        insert(PriceList),
        [
            {"tenant_id": tid, "id": default_id, "name": "Standard", "currency": "EUR"},
            {"tenant_id": tid, "id": negotiated_id, "name": "Cafés", "currency": "EUR"},
        ],
    )
    entries, breaks = [], []
    for i, p in enumerate(products):
        entries.append(
            {
                "tenant_id": tid,
                "id": uuid.uuid4(),
                "price_list_id": default_id,
                "product_id": p["id"],
                "discount_percent": Decimal("5"),
            }
        )
        if i % 2:
            continue
        entry_id, price = uuid.uuid4(), p["base_price_minor"] - 10
        entries.append(
            {
                "tenant_id": tid,
                "id": entry_id,
                "price_list_id": negotiated_id,
                "product_id": p["id"],
                "unit_price_minor": price,
            }
        )
        breaks += [
            {
                "tenant_id": tid,
                "id": uuid.uuid4(),
                "entry_id": entry_id,
                "min_qty": qty,
                "unit_price_minor": max(price - less, 1),
            }
            for qty, less in BREAKS
        ]
    session.execute(insert(PriceListEntry), entries)
    session.execute(insert(VolumeBreak), breaks)
    session.add(CatalogSettings(tenant_id=tid, default_price_list_id=default_id))
    return PricedCatalog(products, default_id, negotiated_id, len(entries), len(breaks))
