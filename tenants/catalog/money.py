"""Money and percentage input: text in major units to integer minor units, exactly."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import get_currency_precision

from tenants.catalog.errors import ValidationFailed

# A bakery's unit price above this is a typo, not a price (100,000.00 in a 2-decimal currency).
MAX_PRICE_MINOR = 10_000_000


def parse_amount(text: str | Decimal, currency: str, *, field: str) -> int:
    """'2.50' in `currency` -> 250; rejects negative, absurd and over-precise amounts."""
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValidationFailed("Enter an amount like 2.50.", field=field) from exc
    if not value.is_finite():
        raise ValidationFailed("Enter an amount like 2.50.", field=field)
    places = get_currency_precision(currency)
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


def check_percent(value: Decimal | str, *, field: str, what: str = "A discount") -> Decimal:
    """A percentage (a discount, a tax rate: `what`) between 0 and 100 with at most two
    decimals. NaN and Infinity are refused here, before any comparison could raise."""
    try:
        pct = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation as exc:
        raise ValidationFailed("Enter a percentage like 10 or 12.5.", field=field) from exc
    if not pct.is_finite() or pct < 0 or pct > 100:
        raise ValidationFailed(f"{what} must be between 0 and 100%.", field=field)
    if pct != pct.quantize(Decimal("0.01")):
        raise ValidationFailed("Use at most two decimal places.", field=field)
    return pct.quantize(Decimal("0.01"))


def format_amount(minor: int, currency: str) -> str:
    """250 -> '2.50' (plain, for forms and CSV files; pages show `config.money`'s format)."""
    places = _places(currency)
    return f"{Decimal(minor).scaleb(-places):.{places}f}"


@lru_cache(maxsize=64)
def _places(currency: str) -> int:
    # Babel looks this up in its global data on every call; a CSV asks 400 times.
    return get_currency_precision(currency)
