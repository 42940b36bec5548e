"""marshmallow schemas for catalog CSV rows: text cells in, typed values out (the edge)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate, validates

from config.numbers import (
    DEFAULT_LOCALE,
    NumberInputError,
    example,
    parse_number,
    parse_whole_number,
    percent_example,
)
from tenants.catalog.models import WEEKDAYS

PRODUCT_COLUMNS = (
    "sku",
    "name",
    "description",
    "category",
    "unit",
    "pack_size",
    "base_price",
    "tax_rate",
    "active",
    "min_order_qty",
    "qty_increment",
    "lead_time_days",
    "bake_days",
    "available_from",
    "available_until",
)
PRODUCT_REQUIRED = ("sku", "name", "base_price")
PRICE_COLUMNS = ("sku", "min_qty", "unit_price", "discount_percent")
PRICE_REQUIRED = ("sku",)  # plus unit_price or discount_percent, checked on upload


class LocaleNumber(fields.Field):
    """A number cell read by the one parser (config.numbers) in the schema's locale, as the
    forms read a box: '3,40' is 3.40 in a de_DE bakery's file, refused in an en_GB one.
    `kind` is 'amount', 'percent' or 'whole'."""

    def __init__(self, kind: str = "amount", **kwargs):
        super().__init__(**kwargs)
        self.kind = kind

    def _deserialize(self, value, attr, data, **kwargs):
        locale = getattr(self.root, "locale", DEFAULT_LOCALE)
        text = str(value).strip()
        try:
            if self.kind == "whole":
                return parse_whole_number(
                    text,
                    locale,
                    message=f"Enter a whole number like {example(locale, whole=True)}.",
                )
            if self.kind == "percent":
                return parse_number(
                    text.removesuffix("%").strip(),
                    locale,
                    message=f"Enter a percentage like {percent_example(locale)}.",
                )
            return parse_number(text, locale, message=f"Enter an amount like {example(locale)}.")
        except NumberInputError as exc:
            raise ValidationError(exc.message) from exc


class _Blank(Schema):
    """Blank optional cells count as missing, so defaults apply. Numbers are read in `locale`
    (the bakery's), the same way its forms read them."""

    class Meta:
        unknown = EXCLUDE

    def __init__(self, *, locale: str = DEFAULT_LOCALE, **kwargs):
        super().__init__(**kwargs)
        self.locale = locale

    @pre_load
    def drop_blanks(self, data, **kwargs):
        return {k: v for k, v in data.items() if v is not None and str(v).strip() != ""}


class ProductRowSchema(_Blank):
    """One product row of the products CSV.

    Lengths follow the database columns. sku, name and unit are checked again by
    clean_product_fields; the category is only created at apply time, so a name too long for
    its column must be caught here, per row, not by PostgreSQL ending the whole run.
    """

    sku = fields.String(required=True, validate=validate.Length(max=64))
    name = fields.String(required=True, validate=validate.Length(max=200))
    description = fields.String(load_default="")
    category = fields.String(load_default="", validate=validate.Length(max=120))
    unit = fields.String(load_default="each", validate=validate.Length(max=20))
    pack_size = LocaleNumber("whole", load_default=1)
    base_price = LocaleNumber("amount", required=True)
    tax_rate = LocaleNumber("percent", load_default=0)
    active = fields.Boolean(
        load_default=True,
        truthy={"1", "yes", "y", "true", "active", "TRUE", "Yes"},
        falsy={"0", "no", "n", "false", "inactive", "FALSE", "No"},
    )
    min_order_qty = LocaleNumber("whole", load_default=1)
    qty_increment = LocaleNumber("whole", load_default=1)
    lead_time_days = LocaleNumber("whole", load_default=0)
    bake_days = fields.String(load_default="Mon Tue Wed Thu Fri Sat Sun")
    available_from = fields.Date(load_default=None)
    available_until = fields.Date(load_default=None)

    @validates("bake_days")
    def _days(self, value, **kwargs):
        bake_days_mask(value)


class PriceRowSchema(_Blank):
    """One tier row of a price-list CSV: min_qty 1 (or blank) is the entry itself."""

    sku = fields.String(required=True, validate=validate.Length(max=64))
    min_qty = LocaleNumber("whole", load_default=1)
    unit_price = LocaleNumber("amount", load_default=None)
    discount_percent = LocaleNumber("percent", load_default=None)


def bake_days_mask(text: str) -> str:
    """'Mon Tue Fri' -> '1100100'; raises ValidationError for unknown day names."""
    names = [d.strip()[:3].title() for d in text.replace(",", " ").split() if d.strip()]
    bad = [n for n in names if n not in WEEKDAYS]
    if bad or not names:
        raise ValidationError("Use day names like 'Mon Tue Wed'.")
    return "".join("1" if day in names else "0" for day in WEEKDAYS)


def bake_days_text(mask: str) -> str:
    """'1100100' -> 'Mon Tue Fri'."""
    return " ".join(day for day, flag in zip(WEEKDAYS, mask, strict=True) if flag == "1")


def row_errors(exc: ValidationError) -> list[tuple[str, str]]:
    """marshmallow's messages as (column, reason) pairs."""
    pairs = []
    messages = exc.messages if isinstance(exc.messages, dict) else {"": exc.messages}
    for column, reasons in messages.items():
        for reason in reasons if isinstance(reasons, list) else [reasons]:
            pairs.append((column if column != "_schema" else "", str(reason)))
    return pairs
