"""The one number parser reads what people type in the bakery's locale and refuses the rest."""

from decimal import Decimal

import pytest

from config.numbers import (
    NumberInputError,
    format_number_input,
    parse_number,
    parse_whole_number,
)


@pytest.mark.parametrize(
    ("locale", "text", "value"),
    [
        ("en_GB", "3.40", Decimal("3.40")),
        ("en_GB", "1,234.50", Decimal("1234.50")),
        ("en_GB", " 12 ", Decimal("12")),
        ("de_DE", "3,40", Decimal("3.40")),
        ("de_DE", "1.234,50", Decimal("1234.50")),
        ("fr_FR", "1 234,50", Decimal("1234.50")),  # a plain space for the locale's narrow one
        ("en_GB", "-2", Decimal("-2")),  # the sign is kept for the range check to name
    ],
)
def test_numbers_are_read_the_way_the_locale_writes_them(locale, text, value):
    assert parse_number(text, locale) == value


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en_GB", "3,40"),  # 340 or 3.40? ambiguous in en_GB: refused, never scaled
        ("en_GB", "1.234,50"),
        ("de_DE", "3.40"),
        ("de_DE", "1,234.50"),
    ],
)
def test_numbers_malformed_or_ambiguous_for_the_locale_are_refused_with_its_format(locale, text):
    with pytest.raises(NumberInputError) as refused:
        parse_number(text, locale)
    expected = "3.40 or 1,234.50" if locale == "en_GB" else "3,40 or 1.234,50"
    assert expected in refused.value.message


@pytest.mark.parametrize(
    "text", ["1_000", "1e3", "1E-2", "NaN", "sNaN", "-sNaN", "Infinity", "-inf", "0x10", "", "  "]
)
@pytest.mark.parametrize("locale", ["en_GB", "de_DE"])
def test_python_only_and_non_finite_numbers_are_refused(locale, text):
    with pytest.raises(NumberInputError):
        parse_number(text, locale)


def test_whole_numbers_follow_the_locale_and_refuse_decimals():
    assert parse_whole_number("1,200", "en_GB") == 1200
    assert parse_whole_number("1.200", "de_DE") == 1200
    for text, locale in (("1.5", "en_GB"), ("1,5", "de_DE"), ("1_000", "en_GB")):
        with pytest.raises(NumberInputError) as refused:
            parse_whole_number(text, locale)
        assert "whole number" in refused.value.message


def test_a_value_shown_in_a_box_reads_back_the_same_in_its_locale():
    for locale in ("en_GB", "de_DE", "fr_FR"):
        for value in (Decimal("3.40"), Decimal("1234.50"), Decimal("12.5")):
            shown = format_number_input(value, locale, places=2)
            assert parse_number(shown, locale) == value
    assert format_number_input(Decimal("3.4"), "de_DE", places=2) == "3,40"
    assert format_number_input(Decimal("12.50"), "en_GB") == "12.5"
