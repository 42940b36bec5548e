"""The pricing engine: a pure function of (product, price list, quantity, date).

Nothing here touches the database. `tenants.catalog.quotes` loads the snapshots below for a
whole cart in a constant number of queries and calls `quote` per line.

Rules, in order:
- the list applies only between its validity dates (inclusive); outside them the product's
  base wholesale price applies;
- a list entry gives the price from quantity 1 (a fixed unit price or a percentage off base),
  and each volume break gives the price from its minimum quantity on;
- of every tier that applies at the quantity, the lowest unit price wins. That makes the unit
  price non-increasing in quantity by construction, even if a base price later changes under a
  percentage break;
- percentages round half-up to whole minor units; the line total is quantity x unit price.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Tier:
    """From `min_qty` on: `unit_price_minor`, or `discount_percent` off the base price."""

    min_qty: int
    unit_price_minor: int | None = None
    discount_percent: Decimal | None = None

    def unit_price(self, base_price_minor: int) -> int:
        if self.unit_price_minor is not None:
            return self.unit_price_minor
        return percent_off(base_price_minor, self.discount_percent or Decimal(0))

    def describe(self) -> str:
        return self._description

    @cached_property
    def _description(self) -> str:
        # Once per tier: a list's "5% off" is one Tier shared by every product it prices.
        start = "" if self.min_qty == 1 else f"from {self.min_qty}: "
        if self.unit_price_minor is not None:
            return f"{start}fixed price"
        if not self.discount_percent:
            return f"{start}base price"
        return f"{start}{self.discount_percent.normalize():f}% off"


@dataclass(frozen=True)
class ListSnapshot:
    """A price list as the engine needs it: identity, validity, and its tiers per product."""

    id: uuid.UUID
    name: str
    valid_from: date | None
    valid_until: date | None
    tiers: dict[uuid.UUID, tuple[Tier, ...]]

    def valid_on(self, day: date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


@dataclass(frozen=True)
class ProductSnapshot:
    """What the engine needs of a product."""

    id: uuid.UUID
    base_price_minor: int


@dataclass(frozen=True)
class NextBreak:
    """The next quantity at which the unit price drops ("order 12 for 2.10 each")."""

    min_qty: int
    unit_price_minor: int


@dataclass(frozen=True)
class Quote:
    """The engine's answer for one line.

    `rule` is "base" (no list price applied), "list" (the entry's quantity-1 price) or
    "break" (a volume break); `source` is the list's name or "base price"; `detail` explains.
    `priced` is False when the product has no list price (what "hide products without a
    price" hides).
    """

    product_id: uuid.UUID
    quantity: int
    unit_price_minor: int
    line_total_minor: int
    rule: str
    source: str
    detail: str
    price_list_id: uuid.UUID | None
    priced: bool
    next_break: NextBreak | None


def percent_off(base_minor: int, percent: Decimal) -> int:
    """`base_minor` less `percent`, rounded half-up to a whole minor unit."""
    hundredths = _hundredths(percent)
    if hundredths is not None and base_minor >= 0 and hundredths <= 10_000:
        # Integer arithmetic, the same result as the Decimal path for these (the stored
        # percentages have two places): half-up of n/d for n >= 0 is (2n + d) // 2d.
        return (base_minor * (10_000 - hundredths) * 2 + 10_000) // 20_000
    value = Decimal(base_minor) * (HUNDRED - Decimal(percent)) / HUNDRED
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=1024)
def _hundredths(percent) -> int | None:
    """`percent` in whole hundredths of a percent, or None when it has finer places."""
    scaled = Decimal(percent) * 100
    return int(scaled) if scaled == scaled.to_integral_value() else None


def quote(
    product: ProductSnapshot,
    price_list: ListSnapshot | None,
    quantity: int,
    on: date,
    fallback: ListSnapshot | None = None,
) -> Quote:
    """Price `quantity` of `product` on `price_list` on day `on`.

    A product the list does not price (or a list outside its dates) is priced on `fallback`
    (the bakery's default list), and failing that at its base price.
    """
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    tiers = ()
    for candidate in (price_list, fallback):
        if candidate is not None and candidate.valid_on(on):
            tiers = candidate.tiers.get(product.id, ())
            if tiers:
                price_list = candidate
                break
    if not tiers:
        unit = product.base_price_minor
        return Quote(
            product.id,
            quantity,
            unit,
            unit * quantity,
            "base",
            "base price",
            "base wholesale price",
            None,
            False,
            None,
        )

    base = product.base_price_minor
    best_tier, unit = None, None
    for tier in tiers:
        if tier.min_qty > quantity:
            continue
        price = tier.unit_price(base)
        if unit is None or price < unit:
            best_tier, unit = tier, price
    if best_tier is None:  # the entry's own tier is min_qty 1, so only malformed data lands here
        best_tier, unit = tiers[0], tiers[0].unit_price(base)

    # The break with the smallest minimum above `quantity` that lowers the price (the first of
    # equals, in the order given): one pass, no sort per line.
    next_break = None
    for tier in tiers:
        if tier.min_qty > quantity and (next_break is None or tier.min_qty < next_break.min_qty):
            price = tier.unit_price(base)
            if price < unit:
                next_break = NextBreak(tier.min_qty, price)
    rule = "list" if best_tier.min_qty == 1 else "break"
    return Quote(
        product.id,
        quantity,
        unit,
        unit * quantity,
        rule,
        price_list.name,
        best_tier.describe(),
        price_list.id,
        True,
        next_break,
    )
