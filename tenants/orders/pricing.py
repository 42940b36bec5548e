"""A cart or an order's lines priced for a customer: one pass of the catalog's engine
(`tenants.catalog.quotes.price_cart`), plus what the buyer needs to read off it: the break
reached and the next one, tax per rate, totals and progress to the customer's minimum order.

There is no second pricing path here: unit prices and rules come from the engine untouched;
this module only adds tax (half-up per line, as DESIGN section 6 says) and sums.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from tenants.catalog.models import AssortmentItem, Product
from tenants.catalog.pricing import Quote
from tenants.catalog.quotes import price_cart

HUNDRED = Decimal(100)


def tax_of(net_minor: int, rate: Decimal) -> int:
    """Tax on `net_minor` at `rate` percent, rounded half-up to a whole minor unit."""
    value = Decimal(net_minor) * Decimal(rate) / HUNDRED
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def orderable_products(session, customer, product_ids: Iterable[uuid.UUID]) -> dict:
    """{id: Product} of the ids `customer` may order: active, and in its assortment if it has
    one. Another bakery's product is simply absent (the tenant filter hides it). Two queries."""
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return {}
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_(ids), Product.active.is_(True))
        )
    }
    if customer.assortment_id is not None:
        allowed = set(
            session.scalars(
                select(AssortmentItem.product_id).where(
                    AssortmentItem.assortment_id == customer.assortment_id,
                    AssortmentItem.product_id.in_(ids),
                )
            )
        )
        products = {pid: p for pid, p in products.items() if pid in allowed}
    return products


@dataclass(frozen=True)
class PricedLine:
    """One line as the buyer reads it: the engine's quote and the tax on it."""

    product: Product
    quote: Quote
    tax_minor: int

    @property
    def quantity(self) -> int:
        return self.quote.quantity

    @property
    def more_for_next_break(self) -> int | None:
        """How many more reach the next break ("add 4 more for 1.60 each")."""
        nb = self.quote.next_break
        return nb.min_qty - self.quote.quantity if nb else None


@dataclass(frozen=True)
class TaxBand:
    rate: Decimal
    net_minor: int
    tax_minor: int


@dataclass(frozen=True)
class PricedCart:
    lines: tuple[PricedLine, ...]
    currency: str
    subtotal_minor: int
    tax_bands: tuple[TaxBand, ...]
    tax_minor: int
    total_minor: int
    minimum_minor: int

    @property
    def short_of_minimum_minor(self) -> int:
        """How much more (net) reaches the customer's minimum order; 0 once it does."""
        return max(self.minimum_minor - self.subtotal_minor, 0)

    @property
    def meets_minimum(self) -> bool:
        return self.short_of_minimum_minor == 0

    @property
    def minimum_progress_percent(self) -> int:
        if not self.minimum_minor:
            return 100
        return min(100, self.subtotal_minor * 100 // self.minimum_minor)


def price_lines(
    session,
    tenant,
    *,
    customer,
    products: dict,
    lines: list[tuple[uuid.UUID, int]],
    on,
    unpriced: list | None = None,
) -> PricedCart:
    """Price `lines` [(product id, quantity)] for `customer` on `on` in one engine pass.

    `products` holds the Product rows of those ids (from `orderable_products`); the engine
    raises ValidationFailed for any it refuses, except that with an `unpriced` list, lines
    the bakery hides for having no price are collected there and left out of the total.
    """
    quotes = price_cart(session, tenant, customer=customer, lines=lines, on=on, unpriced=unpriced)
    priced, bands = [], {}
    for q in quotes:
        product = products[q.product_id]
        rate = Decimal(product.tax_rate or 0)
        tax = tax_of(q.line_total_minor, rate)
        priced.append(PricedLine(product, q, tax))
        net, tax_sum = bands.get(rate, (0, 0))
        bands[rate] = (net + q.line_total_minor, tax_sum + tax)
    subtotal = sum(q.line_total_minor for q in quotes)
    tax_total = sum(line.tax_minor for line in priced)
    return PricedCart(
        lines=tuple(priced),
        currency=tenant.currency,
        subtotal_minor=subtotal,
        tax_bands=tuple(TaxBand(r, n, t) for r, (n, t) in sorted(bands.items())),
        tax_minor=tax_total,
        total_minor=subtotal + tax_total,
        minimum_minor=customer.minimum_order_minor or 0,
    )
