"""Money and percentage input: text in major units to integer minor units, exactly.

Text is read in the bakery's locale by the one number parser (config.numbers); this module
adds what money needs on top: the currency's decimal places, sign and range.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.numbers import get_currency_precision

from config.numbers import (
    NumberInputError,
    example,
    format_number_input,
    parse_number,
    percent_example,
)
from tenants.catalog.errors import ValidationFailed

# A bakery's unit price above this is a typo, not a price (100,000.00 in a 2-decimal currency).
MAX_PRICE_MINOR = 10_000_000


def amount_hint(currency: str, locale: str | None) -> str:
    """'Enter an amount like 3.40 or 1,234.50.' in the locale's format."""
    return f"Enter an amount like {example(locale, places=get_currency_precision(currency))}."


def read_number(text: str, locale: str | None, *, field: str, message: str) -> Decimal:
    """`text` read by the one number parser, its refusal as a ValidationFailed on `field`."""
    try:
        return parse_number(text, locale, message=message)
    except NumberInputError as exc:
        raise ValidationFailed(exc.message, field=field) from exc


def parse_amount(
    text: str | Decimal, currency: str, *, field: str, locale: str | None = None
) -> int:
    """'2.50' (en_GB) or '2,50' (de_DE) in `currency` -> 250; a Decimal is taken as it is.
    Refuses malformed, negative, absurd and over-precise amounts."""
    places = get_currency_precision(currency)
    if isinstance(text, Decimal):
        value = text
        if not value.is_finite():
            raise ValidationFailed(amount_hint(currency, locale), field=field)
    else:
        value = read_number(text, locale, field=field, message=amount_hint(currency, locale))
    # Range first, then precision, all before scaling: '1e999999999' would overflow the decimal
    # context (a 500) and '1e-999999999' would underflow to a silent 0.
    if value < 0:
        raise ValidationFailed("A price cannot be negative.", field=field)
    if value > Decimal(MAX_PRICE_MINOR).scaleb(-places):
        raise ValidationFailed("That price is too high to be right.", field=field)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValidationFailed(f"Use at most {places} decimal places.", field=field)
    return check_price(int(value.scaleb(places)), field=field)


def check_price(minor: int, *, field: str) -> int:
    """Validate a price in minor units: not negative, not absurd."""
    if minor < 0:
        raise ValidationFailed("A price cannot be negative.", field=field)
    if minor > MAX_PRICE_MINOR:
        raise ValidationFailed("That price is too high to be right.", field=field)
    return minor


def percent_hint(locale: str | None) -> str:
    """'Enter a percentage like 10 or 12.5.' with the locale's decimal sign."""
    return f"Enter a percentage like {percent_example(locale)}."


def parse_percent(
    text: str, *, field: str, locale: str | None, what: str = "A discount"
) -> Decimal:
    """'12.5', '12,5 %' (de_DE) -> Decimal('12.50'), checked by `check_percent`."""
    raw = str(text).strip().removesuffix("%").strip()
    return check_percent(
        read_number(raw, locale, field=field, message=percent_hint(locale)), field=field, what=what
    )


def check_percent(value: Decimal, *, field: str, what: str = "A discount") -> Decimal:
    """A percentage (a discount, a tax rate: `what`) between 0 and 100 with at most two
    decimals. NaN and Infinity are refused here, before any comparison could raise."""
    if not isinstance(value, Decimal):
        # Text goes through parse_percent (the locale's parser); only the canonical form of a
        # number from the code itself ('12.5', a stored value) is read here.
        return parse_percent(str(value), field=field, locale="en_GB", what=what)
    pct = value
    if not pct.is_finite() or pct < 0 or pct > 100:
        raise ValidationFailed(f"{what} must be between 0 and 100%.", field=field)
    if pct != pct.quantize(Decimal("0.01")):
        raise ValidationFailed("Use at most two decimal places.", field=field)
    return pct.quantize(Decimal("0.01"))


def format_amount(minor: int, currency: str, locale: str | None = None) -> str:
    """250 -> '2.50' ('2,50' in de_DE): plain, no currency sign or grouping, the way an input
    box or a CSV cell holds it, so parse_amount reads it back in the same locale (pages show
    `config.money`'s format)."""
    places = _places(currency)
    return format_number_input(Decimal(minor).scaleb(-places), locale, places=places)


@lru_cache(maxsize=64)
def _places(currency: str) -> int:
    # Babel looks this up in its global data on every call; a CSV asks 400 times.
    return get_currency_precision(currency)
