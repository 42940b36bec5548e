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

import secrets
from dataclasses import dataclass

from flask import render_template, url_for
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from config.i18n import current_translations
from config.money import money_formatter
from tenants.catalog.browse import CatalogBrowse
from tenants.catalog.memo import remembered_text
from tenants.catalog.quotes import CatalogLine, PricedCatalog

# Stands in for the CSRF token in a kept body; each request puts its own token there. Random
# per process and holding NUL (which no stored text may), so no product text can equal it.
_CSRF_HOLE = f"\x00csrf-{secrets.token_hex(16)}\x00"


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


def catalog_body(
    priced: PricedCatalog, found: CatalogBrowse, tenant, *, ordering: bool, errors: dict | None
) -> Markup:
    """The catalog table's rows as HTML, for `found` (the lines the page shows), with the
    quantity forms when the buyer may order (`ordering`).

    The whole catalog's rows are kept (tenants.catalog.memo) under what they are built from:
    the priced catalog's key (bakery, catalog stamp, price list, assortment, day), the page's
    language, the bakery's money format and the form's URL. They are the same for every buyer
    with that key except for the CSRF token, which is put in per request. A search, a category,
    quantity errors or an empty catalog render afresh.
    """
    cart_add_url = url_for("portal.cart_add") if ordering else ""

    def render(csrf: str) -> str:
        return render_template(
            "portal/_catalog_body.html",
            rows=catalog_rows(found.lines, tenant, errors),
            ordering=ordering,
            csrf=csrf,
            cart_add_url=cart_add_url,
            browse=found,
        )

    csrf = generate_csrf() if ordering else ""
    # Markup: render_template's output is the autoescaped template's HTML.
    if errors or found.search or found.category or not found.lines or priced.key is None:
        return Markup(render(csrf))  # noqa: S704
    key = (
        "catalog_body",
        priced.key,
        str(get_locale()),
        tenant.locale,
        tenant.currency,
        cart_add_url,
    )
    body = remembered_text(key, lambda: render(_CSRF_HOLE))
    # The token is URL-safe text (letters, digits, '-', '_', '.'): nothing to escape.
    return Markup(body.replace(_CSRF_HOLE, csrf) if ordering else body)  # noqa: S704
