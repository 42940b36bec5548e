"""Amounts of money received, typed by staff: a Decimal (already read in the bakery's locale by
`config.numbers` / `config.number_fields`) to integer minor units of the currency, exactly.

Unlike a catalog price, a payment may be large (a quarter's bank transfer), but never negative,
zero or finer than the currency's smallest unit.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import get_currency_precision

from config.numbers import NumberInputError, example, parse_number
from tenants.errors import ValidationFailed

# 10 million in a 2-decimal currency: larger is a typo, and it keeps sums inside 32-bit columns.
MAX_AMOUNT_MINOR = 1_000_000_000


def amount_hint(currency: str, locale: str | None) -> str:
    """'Enter an amount like 3.40 or 1,234.50.' in the locale's format."""
    return f"Enter an amount like {example(locale, places=get_currency_precision(currency))}."


def to_minor(value: Decimal | None, currency: str, *, field: str, allow_zero: bool = False) -> int:
    """A Decimal amount in `currency` as minor units; refuses negative, over-precise and absurd
    amounts (and zero unless `allow_zero`) with a message for `field`."""
    if value is None or not value.is_finite():
        raise ValidationFailed("Enter an amount.", field=field)
    places = get_currency_precision(currency)
    if value < 0:
        raise ValidationFailed("An amount cannot be negative.", field=field)
    if value == 0 and not allow_zero:
        raise ValidationFailed("Enter an amount above zero.", field=field)
    if value > Decimal(MAX_AMOUNT_MINOR).scaleb(-places):
        raise ValidationFailed("That amount is too large to be right.", field=field)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValidationFailed(f"Use at most {places} decimal places.", field=field)
    return int(value.scaleb(places))


def parse_money(text: str, currency: str, locale: str | None, *, field: str) -> int:
    """Text typed in the bakery's locale ('1,234.50' in en_GB, '1.234,50' in de_DE) as minor
    units, by the one number parser."""
    try:
        value = parse_number(text, locale, message=amount_hint(currency, locale))
    except NumberInputError as exc:
        raise ValidationFailed(exc.message, field=field) from exc
    return to_minor(value, currency, field=field)
