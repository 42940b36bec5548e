"""The one money format: the bakery's locale and currency, everywhere an amount is shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from flask import g, render_template_string

from config.money import format_money, money_formatter
from tenants.locales import LOCALE_CHOICES


@dataclass
class Bakery:
    locale: str
    currency: str


@pytest.mark.parametrize("locale", [code for code, _ in LOCALE_CHOICES])
@pytest.mark.parametrize("currency", ["EUR", "GBP", "JPY", "PLN"])
def test_amounts_read_as_babel_writes_them_in_every_offered_locale(locale, currency):
    places = 0 if currency == "JPY" else 2
    for minor in (0, 5, 250, 123456789, -1250):
        expected = format_currency(Decimal(minor).scaleb(-places), currency, locale=locale)
        assert format_money(minor, Bakery(locale, currency)) == expected


def test_a_bakery_in_germany_and_one_in_ireland_see_their_own_format():
    assert format_money(1250, Bakery("de_DE", "EUR")) == "12,50\xa0€"
    assert format_money(1250, Bakery("en_IE", "EUR")) == "€12.50"
    assert format_money(None, Bakery("en_IE", "EUR")) == ""
    # another currency than the bakery's, when a document names one
    assert format_money(1250, Bakery("en_GB", "GBP"), "EUR") == "€12.50"


def test_a_formatter_is_built_once_per_locale_and_currency():
    assert money_formatter("en_GB", "GBP") is money_formatter("en_GB", "GBP")
    assert money_formatter("en_GB", "GBP") is not money_formatter("en_GB", "EUR")


def test_the_money_filter_uses_the_requests_bakery_or_the_templates(app):
    with app.test_request_context("/"):
        g.tenant = Bakery("de_DE", "EUR")
        assert render_template_string("{{ 250|money }}") == "2,50\xa0€"
        # emails are rendered with the bakery in the template, outside its requests
        mail = render_template_string("{{ 250|money }}", bakery=Bakery("en_GB", "GBP"))
        assert mail == "£2.50"
        assert render_template_string("{{ 250|money('USD') }}") == "2,50\xa0$"
