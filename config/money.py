"""Money as people read it: the one formatter, in the bakery's locale and currency.

Every amount a bakery or buyer sees (pages, PDFs, emails) goes through `money_formatter`:
"€12.50" in en_IE, "12,50 €" in de_DE, "£4.20" in en_GB. Templates use the `money` filter
(`{{ line.unit_price_minor|money }}`); Python code asks for a formatter once and calls it per
amount. Plain numbers for forms and CSV files ("12.50") are `tenants.catalog.money.format_amount`.

Speed: Babel parses the locale's currency pattern on every `format_currency` call, which on a
200-product catalog (400 prices) cost more than the page's SQL. A formatter is built once per
(locale, currency) and remembers the text of each distinct amount, so a page formats each
price once.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import get_currency_precision
from flask import g
from jinja2 import pass_context

# Distinct amounts remembered per formatter: a catalog has a few thousand prices at most.
_REMEMBERED = 20_000


class MoneyFormatter:
    """Formats integer minor units of one currency in one locale; call it with an amount."""

    def __init__(self, locale: str, currency: str):
        self.locale = Locale.parse(locale)
        self.currency = currency
        self.places = get_currency_precision(currency)
        self._pattern = self.locale.currency_formats["standard"]
        self._texts: dict[int, str] = {}

    def __call__(self, minor: int | None) -> str:
        """250 -> '€2.50' (an empty string for no amount)."""
        if minor is None:
            return ""
        text = self._texts.get(minor)
        if text is None:
            value = Decimal(minor).scaleb(-self.places)
            text = self._pattern.apply(value, self.locale, currency=self.currency)
            if len(self._texts) < _REMEMBERED:
                self._texts[minor] = text
        return text


@lru_cache(maxsize=256)
def money_formatter(locale: str, currency: str) -> MoneyFormatter:
    """The formatter for `currency` in `locale`, built once per pair per process."""
    return MoneyFormatter(locale, currency)


def format_money(minor: int | None, tenant, currency: str | None = None) -> str:
    """`minor` in the bakery's locale, in its currency (or `currency`)."""
    return money_formatter(tenant.locale, currency or tenant.currency)(minor)


@pass_context
def money_filter(context, minor: int | None, currency: str | None = None) -> str:
    """The `money` template filter. The bakery is the template's `bakery` (emails, rendered
    outside a request) or else the request's bakery (`g.tenant`)."""
    tenant = context.get("bakery") or g.tenant
    return format_money(minor, tenant, currency)


def register(app) -> None:
    """Make `money` a filter of every template."""
    app.jinja_env.filters["money"] = money_filter
