"""WTForms of the back office's customer pages. CSRF and text checks come with config.forms.Form."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from config.forms import CheckboxesField, Form, new_password_field
from config.number_fields import NumberField
from tenants.customers.forms import CompanyForm, PersonForm
from tenants.customers.models import PAYMENT_TERMS, WEEKDAYS
from tenants.customers.permissions import is_a_role_default


def to_minor(amount: Decimal | None, currency: str) -> int:
    """A money amount typed in major units to integer minor units, rounding half up."""
    if amount is None:
        return 0
    scale = Decimal(10) ** get_currency_precision(currency)
    return int((amount * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class CustomerForm(CompanyForm):
    """Customer details, payment terms and ordering settings."""

    business_name = StringField("Business name", validators=[DataRequired(), Length(max=200)])
    notes = TextAreaField("Notes (staff only)", validators=[Length(max=4000)])
    payment_terms = SelectField(
        "Payment terms", choices=list(PAYMENT_TERMS.items()), default="net_14"
    )
    may_order_online = BooleanField("May order online", default=True)
    minimum_order = NumberField(
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


class SuspendCustomerForm(Form):
    """Why the account is suspended."""

    reason = TextAreaField(
        "Reason (the customer's contacts see this)", validators=[DataRequired(), Length(max=1000)]
    )


class ContactForm(PersonForm):
    """A contact with role, access level, location and permissions."""

    is_owner = BooleanField("Account owner (full rights, manages the account's users)")
    is_billing = BooleanField("Billing contact")

    def values(self, *, new: bool = False) -> dict:
        """The contact service's keyword arguments, with the roles only staff give. For a new
        contact whose ticks are exactly some role's defaults, `grants` is None so the service
        gives the defaults of the role chosen.

        Why that rule: the form opens with the buyer defaults ticked, and the page's script
        re-ticks them when "billing contact" is toggled, but only when JavaScript runs and only
        while nobody changed a box by hand. A set equal to a role's defaults is what the form
        put there, not a choice, so the role checkbox (the one deliberate input) decides: a new
        billing contact posted with the buyer ticks still gets view and pay invoices. Ticks
        that differ from every role's defaults were chosen and are kept as they are. Existing
        contacts keep exactly what was posted: their boxes show their saved grants.
        """
        values = {
            **super().values(),
            "is_owner": self.is_owner.data,
            "is_billing": self.is_billing.data,
        }
        if new and is_a_role_default(values["grants"]):
            values["grants"] = None
        return values


class TemporaryPasswordForm(Form):
    """A temporary password staff hand to a contact."""

    password = new_password_field("Temporary password")


class CustomerImportForm(Form):
    """A customers CSV file to import."""

    file = FileField("CSV file")
    import_valid_rows = BooleanField("Import the valid rows even if some rows have errors")
