"""WTForms of the catalog pages; services do the real validation.

CSRF and text checks come with config.forms.Form.
"""

from decimal import Decimal

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from config.forms import CheckboxesField, Form
from config.number_fields import NumberField, WholeNumberField
from tenants.catalog.models import UNITS, WEEKDAYS
from tenants.catalog.products import MAX_CATEGORY_POSITION, PRODUCT_INT_MAX


class ProductForm(Form):
    sku = StringField("SKU", validators=[DataRequired(), Length(max=64)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=4000)])
    category_id = SelectField("Category", choices=[])
    unit = SelectField("Unit", choices=[(u, u) for u in UNITS])
    pack_size = WholeNumberField(
        "Pack size", default=1, validators=[NumberRange(min=1, max=PRODUCT_INT_MAX["pack_size"])]
    )
    base_price = NumberField("Base wholesale price", places=2, validators=[InputRequired()])
    tax_rate = NumberField("Tax rate (%)", percent=True, default=Decimal(0))
    active = BooleanField("Active (customers can see and order it)", default=True)
    min_order_qty = WholeNumberField(
        "Minimum order quantity",
        default=1,
        validators=[NumberRange(min=1, max=PRODUCT_INT_MAX["min_order_qty"])],
    )
    qty_increment = WholeNumberField(
        "Order in steps of",
        default=1,
        validators=[NumberRange(min=1, max=PRODUCT_INT_MAX["qty_increment"])],
    )
    lead_time_days = WholeNumberField(
        "Lead time (days)",
        default=0,
        validators=[NumberRange(min=0, max=PRODUCT_INT_MAX["lead_time_days"])],
    )
    bake_days = CheckboxesField(
        "Baked on",
        choices=[(str(i), d) for i, d in enumerate(WEEKDAYS)],
        default=[str(i) for i in range(7)],
    )
    available_from = DateField("Available from (seasonal, optional)", validators=[Optional()])
    available_until = DateField("Available until", validators=[Optional()])


class PhotoForm(Form):
    photo = FileField("Photo (PNG, JPEG or WebP, up to 2 MB)")


class SoldOutForm(Form):
    day = DateField("Delivery date", validators=[DataRequired()])
    sold_out = BooleanField("Sold out on this date", default=True)


class BulkForm(Form):
    product_ids = SelectMultipleField("Products", choices=[], validate_choice=False)
    action = SelectField("Action", choices=[("activate", "Activate"), ("deactivate", "Deactivate")])


class CategoryForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    position = WholeNumberField(
        "Position",
        default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_CATEGORY_POSITION)],
    )


class PriceListForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    valid_from = DateField("Valid from (optional)", validators=[Optional()])
    valid_until = DateField("Valid until (optional)", validators=[Optional()])


class EntryForm(Form):
    product_id = SelectField("Product", choices=[])
    kind = SelectField(
        "Price from one unit",
        choices=[("fixed", "Fixed unit price"), ("percent", "Percentage off base")],
    )
    value = StringField("Price or %", validators=[DataRequired(), Length(max=20)])
    breaks = TextAreaField(
        "Volume breaks",
        description="One per line: quantity, then a price or a percentage, e.g. "
        "'12 2.10' or '48 15%'.",
        validators=[Length(max=2000)],
    )
    # Shown only after the service asked (a price far from the base price): ticking it is the
    # confirmation, so a slipped decimal sign is never saved on the first click.
    confirm_far = BooleanField("Yes, this price is right: save it")
    # Where to go back after saving: the price list (default) or the product's page.
    return_to = StringField(validators=[Optional(), Length(max=20)])


class CatalogSettingsForm(Form):
    default_price_list_id = SelectField(
        "Default price list (for customers without one)", choices=[]
    )
    hide_unpriced = BooleanField("Hide products without a price")


class AssortmentForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    product_ids = SelectMultipleField("Products", choices=[], validate_choice=False)


class CustomerPricingForm(Form):
    price_list_id = SelectField("Price list", choices=[])
    assortment_id = SelectField("Assortment", choices=[])


class ImportForm(Form):
    kind = SelectField(
        "The file contains",
        choices=[("products", "Products"), ("price_list", "Price-list entries")],
    )
    price_list_id = SelectField("Into price list (for price-list entries)", choices=[])
    file = FileField("CSV file")
    import_valid_rows = BooleanField("Import the valid rows even if some rows have errors")
