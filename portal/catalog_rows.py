"""What each row of the buyer's catalog page shows, as display text built once per page.

The page lists every product the buyer may see (200 and more). Rendering it used to cost about
60 µs a row in Jinja: two attribute lookups per value, the `money` filter resolving the bakery
and its formatter per price, a `{% trans %}` block per row with a minimum or a step, `%` on
Markup per volume break and per quantity label. Here each text is built once in plain Python:
money through the one formatter (`config.money.money_formatter`, asked once per page), words
through the request's gettext catalogs (asked once per page, formatted per row). The template
prints each value with autoescaping as before; nothing here is marked safe, so a product
name is escaped exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.i18n import current_translations
from config.money import money_formatter
from tenants.catalog.quotes import CatalogLine


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One product row. `heading` is the category's title when a new category starts at this
    row (None otherwise); `errors` the refusals of this row's quantity input."""

    heading: str | None
    id: str
    sku: str
    name: str
    unit: str
    order_in: str
    price: str
    next_break: str
    min_order_qty: int
    quantity_label: str
    errors: list


def catalog_rows(lines: list[CatalogLine], tenant, errors: dict | None = None) -> list[CatalogRow]:
    """The rows for `lines` in the bakery's money format and the request's language; `errors`
    maps a product id (text) to its quantity input's refusals."""
    money = money_formatter(tenant.locale, tenant.currency)
    gettext = current_translations().ugettext
    other = gettext("Other")
    min_text = gettext("min. %(qty)s")
    step_text = gettext("steps of %(step)s")
    break_text = gettext("order %(qty)s for %(price)s each")
    quantity_text = gettext("Quantity of %(name)s")
    errors = errors or {}
    rows = []
    category = None
    for line in lines:
        product, quote = line.product, line.quote
        heading = None
        if line.category_name != category:
            category = line.category_name
            heading = category or other
        unit = product.unit
        if product.pack_size > 1:
            unit = f"{unit} × {product.pack_size}"
        order_in = min_text % {"qty": product.min_order_qty} if product.min_order_qty > 1 else ""
        if product.qty_increment > 1:
            steps = step_text % {"step": product.qty_increment}
            order_in = f"{order_in}, {steps}" if order_in else steps
        next_break = quote.next_break
        if next_break is not None:
            price = money(next_break.unit_price_minor)
            next_break = break_text % {"qty": next_break.min_qty, "price": price}
        pid = str(product.id)
        rows.append(
            CatalogRow(
                heading,
                pid,
                product.sku,
                product.name,
                unit,
                order_in,
                money(quote.unit_price_minor),
                next_break or "",
                product.min_order_qty,
                quantity_text % {"name": product.name},
                errors.get(pid, []),
            )
        )
    return rows
