"""Numbers people type, read in the bakery's locale: the one parser of every money, percent and
quantity input, in forms and in CSV imports (Babel's number parsing).

`3,40` is 3.40 in de_DE and `1,234.50` is 1234.50 in en_GB. Input that is malformed or
ambiguous for the locale (`3,40` in en_GB could be 340 or 3.40) is refused with the expected
format in the message, never guessed at or silently scaled. Syntax only Python reads as a
number (`1_000`, `1e3`, `NaN`, `sNaN`, `Infinity`) is refused before Babel sees it, so no range
check downstream ever meets a non-finite value.

This module sits in config/ (the bottom layer) so the back office, the portal, the console and
the CSV importers in tenants/ all use it. It raises `NumberInputError` (a ValueError with a
message for a person); each caller attaches it to its field.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)
from flask_babel import gettext

# The platform's own pages (the operators' console, sign-up) have no bakery locale.
DEFAULT_LOCALE = "en_GB"
# Spaces people type as a thousands separator where the locale's is a (narrow) no-break space.
_SPACES = (" ", "\u00a0", "\u202f")
# Digits, the separators some locale uses, and one leading sign. Anything else (`_`, letters,
# so `e`, `NaN` and `inf` too) is not a number a person types.
_PLAIN = re.compile(r"^[+-]?[0-9][0-9.,'\u2019 \u00a0\u202f]*$|^[+-]?[.,][0-9]+$")


class NumberInputError(ValueError):
    """Typed text that is not a number in the locale; `message` says what to type instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def example(locale: str, *, places: int = 2, whole: bool = False) -> str:
    """How a number looks in `locale`: '3.40 or 1,234.50' (en_GB), '3,40 oder 1.234,50' style."""
    if whole:
        big = format_decimal(1200, format="#,##0", locale=locale)
        return gettext("%(small)s or %(big)s", small="12", big=big)
    pattern = "#,##0." + "0" * places if places else "#,##0"
    small = format_decimal(Decimal("3.40"), format=pattern, locale=locale)
    big = format_decimal(Decimal("1234.50"), format=pattern, locale=locale)
    return gettext("%(small)s or %(big)s", small=small, big=big)


def percent_example(locale: str | None) -> str:
    """'10 or 12.5' (en_GB), '10 or 12,5' (de_DE)."""
    return f"10 or 12{get_decimal_symbol(locale or DEFAULT_LOCALE)}5"


def _normalise(text: str, locale: str) -> str:
    text = text.strip()
    group = get_group_symbol(locale)
    if group in _SPACES:
        for space in _SPACES:
            text = text.replace(space, group)
    elif group in ("'", "\u2019"):
        text = text.replace("'", group).replace("\u2019", group)
    return text


def parse_number(text: str, locale: str | None, *, message: str | None = None) -> Decimal:
    """`text` as a finite Decimal in `locale`; raises NumberInputError with `message` (or one
    naming the locale's format) when it is not one. A leading sign is kept, so range checks
    can say "cannot be negative" rather than "not a number"."""
    locale = locale or DEFAULT_LOCALE
    message = message or gettext("Enter a number like %(example)s.", example=example(locale))
    raw = _normalise(str(text), locale)
    if not _PLAIN.match(raw):
        raise NumberInputError(message)
    if raw[0] in "+-" and raw[1:2] in (get_decimal_symbol(locale), get_group_symbol(locale)):
        raise NumberInputError(message)
    try:
        # strict: grouping must be where the locale puts it, so '3,40' in en_GB (340? 3.40?)
        # and '1.234,50' in en_GB are refused instead of read one way or the other.
        value = parse_decimal(raw, locale=locale, strict=True)
    except (NumberFormatError, ValueError) as exc:
        raise NumberInputError(message) from exc
    if not value.is_finite():  # belt and braces: the pattern already refuses NaN and Infinity
        raise NumberInputError(message)
    return value


def parse_whole_number(text: str, locale: str | None, *, message: str | None = None) -> int:
    """`text` as an int in `locale` ('1,200' in en_GB, '1.200' in de_DE); no decimals."""
    locale = locale or DEFAULT_LOCALE
    message = message or gettext(
        "Enter a whole number like %(example)s.", example=example(locale, whole=True)
    )
    value = parse_number(text, locale, message=message)
    if value != value.to_integral_value():
        raise NumberInputError(message)
    return int(value)


def format_number_input(value: Decimal | int | None, locale: str | None, *, places=None) -> str:
    """A number as an input box (or a CSV cell) shows it, so `parse_number` reads it back:
    the locale's decimal sign, no grouping ('3,40' in de_DE, '3.40' in en_GB)."""
    if value is None:
        return ""
    locale = locale or DEFAULT_LOCALE
    number = Decimal(value)
    text = f"{number.normalize():f}" if places is None else f"{number:.{places}f}"
    return text.replace(".", get_decimal_symbol(locale))
