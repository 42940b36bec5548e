"""Load what the pricing engine needs for a customer, in a constant number of queries.

`price_cart` prices many lines at once: one query for the catalog settings, one for the
candidate price lists, one for the products, one for their tiers on the chosen list, and one
for the assortment when the customer has one, however many lines or products there are.
Nothing is cached, so a price change shows on the next request.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tenants.catalog.models import (
    AssortmentItem,
    CatalogSettings,
    Category,
    PriceList,
    PriceListEntry,
    Product,
    VolumeBreak,
)
from tenants.catalog.pricing import ListSnapshot, ProductSnapshot, Quote, Tier, quote
from tenants.errors import ValidationFailed


def bakery_today(tenant, now=None) -> date:
    """Today's date in the bakery's own timezone (prices change at its midnight)."""
    from zoneinfo import ZoneInfo

    from config.clock import utcnow

    return (now or utcnow()).astimezone(ZoneInfo(tenant.timezone)).date()


def catalog_settings(session) -> CatalogSettings | None:
    """The bound bakery's catalog settings row, if it has one."""
    return session.scalar(select(CatalogSettings))


def applicable_list(session, customer, on: date) -> PriceList | None:
    """The list that prices `customer` on `on`: its own while valid, else the bakery default."""
    settings = catalog_settings(session)
    default_id = settings.default_price_list_id if settings else None
    return _choose_list(session, customer, default_id, on)


def _choose_list(session, customer, default_id, on: date) -> PriceList | None:
    candidates = [i for i in (customer.price_list_id, default_id) if i is not None]
    if not candidates:
        return None
    lists = {
        pl.id: pl for pl in session.scalars(select(PriceList).where(PriceList.id.in_(candidates)))
    }
    for list_id in candidates:
        chosen = lists.get(list_id)
        if chosen is not None and _valid(chosen, on):
            return chosen
    return None


def _valid(price_list: PriceList, on: date) -> bool:
    if price_list.valid_from and on < price_list.valid_from:
        return False
    return not (price_list.valid_until and on > price_list.valid_until)


def load_snapshot(
    session, price_list: PriceList, product_ids: Iterable[uuid.UUID] | None = None
) -> ListSnapshot:
    """The list's tiers (entry + breaks) per product, in one query (optionally for some ids)."""
    stmt = (
        select(
            PriceListEntry.product_id,
            PriceListEntry.unit_price_minor,
            PriceListEntry.discount_percent,
            VolumeBreak.min_qty,
            VolumeBreak.unit_price_minor,
            VolumeBreak.discount_percent,
        )
        .outerjoin(
            VolumeBreak,
            (VolumeBreak.tenant_id == PriceListEntry.tenant_id)
            & (VolumeBreak.entry_id == PriceListEntry.id),
        )
        .where(PriceListEntry.price_list_id == price_list.id)
    )
    if product_ids is not None:
        stmt = stmt.where(PriceListEntry.product_id.in_(list(product_ids)))
    tiers: dict[uuid.UUID, list[Tier]] = defaultdict(list)
    for pid, e_price, e_pct, b_qty, b_price, b_pct in session.execute(stmt):
        if not tiers[pid]:
            tiers[pid].append(Tier(1, e_price, e_pct))
        if b_qty is not None:
            tiers[pid].append(Tier(b_qty, b_price, b_pct))
    return ListSnapshot(
        price_list.id,
        price_list.name,
        price_list.valid_from,
        price_list.valid_until,
        {pid: tuple(sorted(ts, key=lambda t: t.min_qty)) for pid, ts in tiers.items()},
    )


@dataclass(frozen=True)
class CatalogLine:
    """A product as one customer sees it: the product, its category name and its price."""

    product: Product
    category_name: str
    quote: Quote


def _assortment_ids(session, customer) -> set[uuid.UUID] | None:
    if customer.assortment_id is None:
        return None
    return set(
        session.scalars(
            select(AssortmentItem.product_id).where(
                AssortmentItem.assortment_id == customer.assortment_id
            )
        )
    )


def price_cart(
    session, tenant, *, customer, lines: list[tuple[uuid.UUID, int]], on: date
) -> list[Quote]:
    """Quote every (product id, quantity) line for `customer` on `on`, in one pass.

    Raises ValidationFailed for a product the customer cannot order (unknown, inactive, outside
    its assortment, or unpriced while the bakery hides unpriced products).
    """
    settings = catalog_settings(session)
    hide_unpriced = bool(settings and settings.hide_unpriced)
    price_list = _choose_list(
        session, customer, settings.default_price_list_id if settings else None, on
    )
    ids = {pid for pid, _ in lines}
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_(ids), Product.active.is_(True))
        )
    }
    allowed = _assortment_ids(session, customer)
    snapshot = load_snapshot(session, price_list, ids) if price_list else None
    quotes = []
    for number, (pid, quantity) in enumerate(lines, start=1):
        product = products.get(pid)
        if product is None or (allowed is not None and pid not in allowed):
            raise ValidationFailed(f"Line {number}: this product is not available.", field="lines")
        if quantity < 1:
            raise ValidationFailed(f"Line {number}: order at least 1.", field="lines")
        result = quote(
            ProductSnapshot(product.id, product.base_price_minor), snapshot, quantity, on
        )
        if hide_unpriced and not result.priced:
            raise ValidationFailed(
                f"Line {number}: this product has no price for you.", field="lines"
            )
        quotes.append(result)
    return quotes


def customer_catalog(session, tenant, *, customer, on: date) -> list[CatalogLine]:
    """The active products `customer` may see, in category order, each priced for one unit
    (or the minimum order quantity), in a constant number of queries."""
    settings = catalog_settings(session)
    hide_unpriced = bool(settings and settings.hide_unpriced)
    price_list = _choose_list(
        session, customer, settings.default_price_list_id if settings else None, on
    )
    stmt = (
        select(Product, Category.name)
        .outerjoin(
            Category,
            (Category.tenant_id == Product.tenant_id) & (Category.id == Product.category_id),
        )
        .where(Product.active.is_(True))
        .order_by(Category.position, Category.name, Product.name)
    )
    if customer.assortment_id is not None:
        stmt = stmt.where(
            Product.id.in_(
                select(AssortmentItem.product_id).where(
                    AssortmentItem.assortment_id == customer.assortment_id
                )
            )
        )
    rows = session.execute(stmt).all()
    snapshot = load_snapshot(session, price_list) if price_list else None
    result = []
    for product, category_name in rows:
        q = quote(
            ProductSnapshot(product.id, product.base_price_minor),
            snapshot,
            max(product.min_order_qty, 1),
            on,
        )
        if hide_unpriced and not q.priced:
            continue
        result.append(CatalogLine(product, category_name or "", q))
    return result
