"""Forms of a customer account that the back office and the portal share.

Staff and a customer's account owner edit the same things (company details, delivery locations,
the account's people) with different words and rights: the fields live here once, and each side
subclasses to relabel a field or add what only it may change. They sit with the customers
context, below both edges, so neither edge imports the other; CSRF and text checks come with
config.forms.Form.
"""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from config.forms import CheckboxesField, Form
from tenants.customers.models import ACCESS_LEVELS
from tenants.customers.permissions import GRANTABLE, role_defaults


class CompanyForm(Form):
    """Company details an account owner may edit (staff edit them with the rest of the account)."""

    trading_name = StringField(_l("Trading name"), validators=[Length(max=200)])
    tax_number = StringField(_l("Tax / VAT number"), validators=[Length(max=40)])
    billing_email = EmailField(
        _l("Billing email"), validators=[Optional(), Email(), Length(max=254)]
    )
    phone = TelField(_l("Phone"), validators=[Length(max=40)])


class LocationForm(Form):
    """A delivery location."""

    name = StringField(_l("Location name"), validators=[DataRequired(), Length(max=120)])
    address = TextAreaField(_l("Address"), validators=[Length(max=1000)])
    delivery_instructions = TextAreaField(
        _l("Delivery instructions"), validators=[Length(max=2000)]
    )


def access_level_field(label: str) -> SelectField:
    """Which orders a contact sees."""
    return SelectField(label, choices=list(ACCESS_LEVELS.items()), default="individual")


def location_field(label: str) -> SelectField:
    """A contact's location; the choices come from `PersonForm.set_locations`."""
    return SelectField(label, choices=[("", _l("None"))], default="", validate_choice=False)


def grants_field(label: str) -> CheckboxesField:
    """The permissions a contact holds; a new contact starts with a buyer's defaults."""
    return CheckboxesField(
        label,
        choices=list(GRANTABLE.items()),
        default=sorted(role_defaults(is_billing=False)),
    )


class PersonForm(Form):
    """A contact of the account: name, email, phone, which orders, location, permissions."""

    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[Length(max=80)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    phone = TelField(_l("Phone"), validators=[Length(max=40)])
    access_level = access_level_field(_l("Access level"))
    location_id = location_field(_l("Assigned location"))
    grants = grants_field(_l("Permissions"))

    def set_locations(self, locations) -> None:
        """Offer the account's locations (and None) to choose from."""
        self.location_id.choices = [("", _l("None"))] + [
            (str(loc.id), loc.name) for loc in locations
        ]

    def values(self) -> dict:
        """The contact service's keyword arguments."""
        return {
            "first_name": self.first_name.data,
            "last_name": self.last_name.data or "",
            "email": self.email.data,
            "phone": self.phone.data or "",
            "access_level": self.access_level.data,
            "location_id": self.location_id.data or None,
            "grants": set(self.grants.data or []),
        }
