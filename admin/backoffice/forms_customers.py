"""WTForms of the back office's customer pages. CSRF comes with FlaskForm."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from admin.forms import CheckboxesField
from tenants.customers.models import ACCESS_LEVELS, PAYMENT_TERMS, WEEKDAYS
from tenants.customers.permissions import GRANTABLE, is_a_role_default, role_defaults


def to_minor(amount: Decimal | None, currency: str) -> int:
    """A money amount typed in major units to integer minor units, rounding half up."""
    if amount is None:
        return 0
    scale = Decimal(10) ** get_currency_precision(currency)
    return int((amount * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class CustomerForm(FlaskForm):
    """Customer details, payment terms and ordering settings."""

    business_name = StringField("Business name", validators=[DataRequired(), Length(max=200)])
    trading_name = StringField("Trading name", validators=[Length(max=200)])
    tax_number = StringField("Tax / VAT number", validators=[Length(max=40)])
    billing_email = EmailField("Billing email", validators=[Optional(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Length(max=40)])
    notes = TextAreaField("Notes (staff only)", validators=[Length(max=4000)])
    payment_terms = SelectField(
        "Payment terms", choices=list(PAYMENT_TERMS.items()), default="net_14"
    )
    may_order_online = BooleanField("May order online", default=True)
    minimum_order = DecimalField(
        "Minimum order value", places=2, validators=[Optional(), NumberRange(min=0, max=1_000_000)]
    )
    delivery_weekdays = CheckboxesField(
        "Delivery weekdays (none ticked: any delivery day)",
        choices=[(str(i), day) for i, day in enumerate(WEEKDAYS)],
    )
    order_approval_required = BooleanField("Review this customer's orders before confirming")
    standing_orders_allowed = BooleanField("Standing orders allowed")

    def values(self, currency: str) -> dict:
        """The service's keyword arguments."""
        return {
            "business_name": self.business_name.data,
            "trading_name": self.trading_name.data or "",
            "tax_number": self.tax_number.data or "",
            "billing_email": self.billing_email.data or "",
            "phone": self.phone.data or "",
            "notes": self.notes.data or "",
            "payment_terms": self.payment_terms.data,
            "may_order_online": self.may_order_online.data,
            "minimum_order_minor": to_minor(self.minimum_order.data, currency),
            "delivery_weekdays": [int(d) for d in self.delivery_weekdays.data or []],
            "order_approval_required": self.order_approval_required.data,
            "standing_orders_allowed": self.standing_orders_allowed.data,
        }


class SuspendCustomerForm(FlaskForm):
    """Why the account is suspended."""

    reason = TextAreaField(
        "Reason (the customer's contacts see this)", validators=[DataRequired(), Length(max=1000)]
    )


class LocationForm(FlaskForm):
    """A delivery location."""

    name = StringField("Location name", validators=[DataRequired(), Length(max=120)])
    address = TextAreaField("Address", validators=[Length(max=1000)])
    delivery_instructions = TextAreaField("Delivery instructions", validators=[Length(max=2000)])


class ContactForm(FlaskForm):
    """A contact with role, access level, location and permissions."""

    first_name = StringField("First name", validators=[DataRequired(), Length(max=80)])
    last_name = StringField("Last name", validators=[Length(max=80)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Length(max=40)])
    is_owner = BooleanField("Account owner (full rights, manages the account's users)")
    is_billing = BooleanField("Billing contact")
    access_level = SelectField(
        "Access level", choices=list(ACCESS_LEVELS.items()), default="individual"
    )
    location_id = SelectField(
        "Assigned location", choices=[("", "None")], default="", validate_choice=False
    )
    grants = CheckboxesField(
        "Permissions",
        choices=list(GRANTABLE.items()),
        default=sorted(role_defaults(is_billing=False)),
    )

    def set_locations(self, locations) -> None:
        self.location_id.choices = [("", "None")] + [(str(loc.id), loc.name) for loc in locations]

    def values(self, *, new: bool = False) -> dict:
        """The service's keyword arguments. For a new contact whose ticks are exactly some
        role's defaults, `grants` is None so the service gives the defaults of the role chosen.

        Why that rule: the form opens with the buyer defaults ticked, and the page's script
        re-ticks them when "billing contact" is toggled, but only when JavaScript runs and only
        while nobody changed a box by hand. A set equal to a role's defaults is what the form
        put there, not a choice, so the role checkbox (the one deliberate input) decides: a new
        billing contact posted with the buyer ticks still gets view and pay invoices. Ticks
        that differ from every role's defaults were chosen and are kept as they are. Existing
        contacts keep exactly what was posted: their boxes show their saved grants.
        """
        grants = set(self.grants.data or [])
        return {
            "first_name": self.first_name.data,
            "last_name": self.last_name.data or "",
            "email": self.email.data,
            "phone": self.phone.data or "",
            "is_owner": self.is_owner.data,
            "is_billing": self.is_billing.data,
            "access_level": self.access_level.data,
            "location_id": self.location_id.data or None,
            "grants": None if new and is_a_role_default(grants) else grants,
        }


class TemporaryPasswordForm(FlaskForm):
    """A temporary password staff hand to a contact."""

    password = PasswordField(
        "Temporary password",
        description="At least 10 characters.",
        validators=[DataRequired(), Length(max=200)],
    )


class CustomerImportForm(FlaskForm):
    """A customers CSV file to import."""

    file = FileField("CSV file")
    import_valid_rows = BooleanField("Import the valid rows even if some rows have errors")
