"""Dates in a bakery's locale and timezone (Babel); money is shown by `config.money`."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from babel.core import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.dates import format_skeleton, get_day_names
from babel.dates import format_time as babel_time
from babel.numbers import get_currency_precision
from flask import g
from flask_babel import get_locale

from config.clock import at_bakery, bakery_zone


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
            return format_datetime(value, tenant)
        value = local.date()
    return babel_date(value, "medium", locale=tenant.locale)


def format_datetime(value: datetime | None, tenant) -> str:
    """A stored (UTC) moment on the bakery's wall clock, in its locale, with the zone named:
    '8 Dec 2026, 19:54 GMT', '08.12.2026, 20:54 MEZ'. Every time a person reads comes from here.
    """
    if value is None:
        return ""
    zone = bakery_zone(tenant)
    local = at_bakery(value, tenant)
    locale = Locale.parse(tenant.locale)
    day = babel_date(local, "medium", locale=locale)
    clock = babel_time(local, "short", tzinfo=zone, locale=locale)
    zone_name = babel_datetime(local, "z", tzinfo=zone, locale=locale)
    # The locale's own way of joining a date and a time ("{1}, {0}" in English and German).
    joined = str(locale.datetime_formats["medium"]).replace("'", "")
    return f"{joined.format(clock, day)} {zone_name}"


def bakery_time_filter(value: datetime | None, tenant=None) -> str:
    """Jinja's `bakery_time`: `{{ at | bakery_time }}` in a bakery's pages (its tenant from the
    request), `{{ at | bakery_time(tenant) }}` where there is no request (emails)."""
    return format_datetime(value, tenant if tenant is not None else g.tenant)


def _page_locale(locale) -> Locale:
    """The locale given, else the current page's or email's (Flask-Babel), else English."""
    if locale is not None:
        return Locale.parse(locale)
    return get_locale() or Locale.parse("en")


@cache
def _full_without_year(locale: Locale) -> str:
    """The locale's full date pattern less its year: 'EEEE d MMMM' (en_GB), 'EEEE, d. MMMM' (de)."""
    pattern = locale.date_formats["full"].pattern
    return re.sub(r"[\s,.]*y+\.?", "", pattern).strip(" ,")


def format_day(value: date | None, style: str = "day", locale=None) -> str:
    """A calendar date in words, in the page's language (or `locale`'s). Styles:
    'weekday' Tuesday / Dienstag; 'day' Tuesday 8 December / Dienstag, 8. Dezember;
    'day_year' with the year; 'short' Tue, 8 Dec 2026 / Di., 8. Dez. 2026; 'short_day' Tue 8 Dec;
    without the weekday: 'date' 8 Dec 2026 / 08.12.2026, 'long' 8 December 2026, 'day_month' 8 Dec.
    Every date written in words goes through here (never `strftime`, which speaks only English).
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    loc = _page_locale(locale)
    if style == "weekday":
        return babel_date(value, "EEEE", locale=loc)
    if style == "day":
        return babel_date(value, _full_without_year(loc), locale=loc)
    if style == "day_year":
        return babel_date(value, "full", locale=loc)
    if style == "short":
        return format_skeleton("yMMMEd", value, locale=loc)
    if style == "short_day":
        return format_skeleton("MMMEd", value, locale=loc)
    if style in ("date", "long"):
        return babel_date(value, "medium" if style == "date" else "long", locale=loc)
    if style == "day_month":
        return format_skeleton("MMMd", value, locale=loc)
    raise ValueError(f"unknown date style {style!r}")


def install_template_filters(app) -> None:
    """The display filters every template may use."""
    app.add_template_filter(bakery_time_filter, "bakery_time")
    app.add_template_filter(format_day, "day")


def weekday_names(tenant, width: str = "abbreviated") -> list[str]:
    """Monday..Sunday in the bakery's language ('Mon', 'Mo.'), indexed like date.weekday()."""
    names = get_day_names(width, locale=tenant.locale)
    return [names[i] for i in range(7)]
