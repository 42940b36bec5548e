"""WTForms fields for numbers, read by the one parser (config.numbers) in the bakery's locale.

Every money, percent and quantity box of every blueprint uses these instead of WTForms'
DecimalField and IntegerField, which read Python's syntax (`1_000`, `1e3`, `sNaN`) and not the
locale's (`3,40`). A box that does not hold a number stops there with one message saying the
expected format; range validators only ever see a finite number.
"""

from __future__ import annotations

from flask import g, has_app_context
from wtforms.fields import Field
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from config.numbers import (
    DEFAULT_LOCALE,
    NumberInputError,
    example,
    format_number_input,
    parse_number,
    parse_whole_number,
    percent_example,
)


def current_locale() -> str:
    """The bakery's locale on a bakery's pages; the platform default elsewhere."""
    tenant = g.get("tenant") if has_app_context() else None
    return getattr(tenant, "locale", None) or DEFAULT_LOCALE


class NumberField(Field):
    """A decimal number typed in the bakery's locale; `data` is a Decimal or None when blank.

    `places` is how many decimals the box shows a stored value with (2 for money); `percent`
    accepts a trailing '%'; `kind` words the message ('amount', 'percentage' or 'number').
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, places=None, percent=False, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.places = places
        self.percent = percent

    def message(self) -> str:
        locale = current_locale()
        if self.percent:
            return f"Enter a percentage like {percent_example(locale)}."
        if self.places:
            return f"Enter an amount like {example(locale, places=self.places)}."
        return f"Enter a number like {example(locale)}."

    def parse(self, text: str):
        return parse_number(text, current_locale(), message=self.message())

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = str(valuelist[0]).strip()
        if self.percent:
            text = text.removesuffix("%").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = self.parse(text)
        except NumberInputError as exc:
            self.data = None
            raise ValueError(exc.message) from exc

    def pre_validate(self, form):
        # Not a number: its one message is already there; range checks would add a second.
        if self.process_errors:
            raise StopValidation()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_number_input(self.data, current_locale(), places=self.places)


class WholeNumberField(NumberField):
    """A whole number (a quantity, a limit) typed in the bakery's locale: '1,200' in en_GB,
    '1.200' in de_DE; `data` is an int or None when blank."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)

    def message(self) -> str:
        return f"Enter a whole number like {example(current_locale(), whole=True)}."

    def parse(self, text: str):
        return parse_whole_number(text, current_locale(), message=self.message())

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)
