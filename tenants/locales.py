"""The timezones, currencies and locales a bakery can choose from."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from tenants.errors import ValidationFailed


@cache
def timezone_choices() -> list[str]:
    return sorted(tz for tz in available_timezones() if "/" in tz and not tz.startswith("Etc/"))


@cache
def currency_choices() -> list[str]:
    return sorted(list_currencies())


LOCALE_CHOICES = [
    ("en_GB", "English (UK)"),
    ("en_US", "English (US)"),
    ("en_IE", "English (Ireland)"),
    ("de_DE", "Deutsch (Deutschland)"),
    ("de_AT", "Deutsch (Österreich)"),
    ("fr_FR", "Français"),
    ("nl_NL", "Nederlands"),
    ("pl_PL", "Polski"),
    ("es_ES", "Español"),
    ("it_IT", "Italiano"),
    ("sv_SE", "Svenska"),
    ("da_DK", "Dansk"),
]


def validate_timezone(value: str) -> str:
    if value not in available_timezones():
        raise ValidationFailed(
            "Choose a timezone from the list, e.g. Europe/London.", field="timezone"
        )
    return value


def validate_currency(value: str) -> str:
    value = (value or "").upper()
    if value not in currency_choices():
        raise ValidationFailed("Choose a currency code such as EUR, GBP or USD.", field="currency")
    return value


def validate_locale(value: str) -> str:
    try:
        Locale.parse(value)
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ValidationFailed("Choose a language and region.", field="locale") from exc
    return value
