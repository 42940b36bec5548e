"""Narrowing a customer's catalog for the portal page: a search (name or SKU) and a category.

It filters the lines `customer_catalog` already loaded, so the page costs the same queries
whatever the buyer types, and a product the customer may not see can never be found by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenants.catalog.quotes import CatalogLine


@dataclass(frozen=True)
class CatalogBrowse:
    """The lines that match, every category name of the whole catalog (for the filter's choices)
    and the cleaned search and category the page echoes back."""

    lines: list[CatalogLine]
    categories: list[str]
    search: str
    category: str


def browse_catalog(
    lines: list[CatalogLine], *, search: str = "", category: str = ""
) -> CatalogBrowse:
    """The lines whose name or SKU contains `search` (any case) and whose category is `category`
    (an empty string means any); categories keep the catalog's order."""
    search = (search or "").strip()[:100]
    category = (category or "").strip()[:200]
    needle = search.casefold()
    categories = list(dict.fromkeys(line.category_name for line in lines if line.category_name))
    matched = [
        line
        for line in lines
        if _contains(line, needle) and (not category or line.category_name == category)
    ]
    return CatalogBrowse(lines=matched, categories=categories, search=search, category=category)


def _contains(line: CatalogLine, needle: str) -> bool:
    product = line.product
    return not needle or needle in product.name.casefold() or needle in product.sku.casefold()
