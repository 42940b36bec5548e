"""Dates in a bakery's locale and timezone (Babel); money is shown by `config.money`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import get_currency_precision

from config.clock import at_bakery


def minor_to_decimal(minor: int, currency: str) -> Decimal:
    """Integer minor units to a Decimal amount (2 decimals for EUR, 0 for JPY...)."""
    return Decimal(minor).scaleb(-get_currency_precision(currency))


def format_date(value: date | datetime | None, tenant, *, with_time: bool = False) -> str:
    """A date (or UTC datetime shown in the bakery's timezone) in the bakery's locale."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = at_bakery(value, tenant)
        if with_time:
            return babel_datetime(local, "medium", locale=tenant.locale)
        value = local.date()
    return babel_date(value, "medium", locale=tenant.locale)
