"""WTForms of the portal. CSRF comes with FlaskForm."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from admin.forms import CheckboxesField
from tenants.customers.models import ACCESS_LEVELS
from tenants.customers.permissions import GRANTABLE, role_defaults


class ProfileForm(FlaskForm):
    """The contact's own name and phone."""

    first_name = StringField("First name", validators=[DataRequired(), Length(max=80)])
    last_name = StringField("Last name", validators=[Length(max=80)])
    phone = StringField("Phone", validators=[Length(max=40)])


class ChangePasswordForm(FlaskForm):
    """Current and new password."""

    current_password = PasswordField("Current password", validators=[Length(max=200)])
    new_password = PasswordField(
        "New password",
        description="At least 10 characters.",
        validators=[DataRequired(), Length(max=200)],
    )


class CompanyForm(FlaskForm):
    """Company details an account owner may edit."""

    trading_name = StringField("Trading name", validators=[Length(max=200)])
    tax_number = StringField("Tax / VAT number", validators=[Length(max=40)])
    billing_email = EmailField("Billing email", validators=[Optional(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Length(max=40)])


class PortalLocationForm(FlaskForm):
    """A delivery location."""

    name = StringField("Location name", validators=[DataRequired(), Length(max=120)])
    address = TextAreaField("Address", validators=[Length(max=1000)])
    delivery_instructions = TextAreaField("Delivery instructions", validators=[Length(max=2000)])


class UserForm(FlaskForm):
    """An account owner's form for a colleague (never an owner: only the bakery makes those)."""

    first_name = StringField("First name", validators=[DataRequired(), Length(max=80)])
    last_name = StringField("Last name", validators=[Length(max=80)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Length(max=40)])
    access_level = SelectField(
        "Which orders they see", choices=list(ACCESS_LEVELS.items()), default="individual"
    )
    location_id = SelectField(
        "Their location", choices=[("", "None")], default="", validate_choice=False
    )
    grants = CheckboxesField(
        "What they may do",
        choices=list(GRANTABLE.items()),
        default=sorted(role_defaults(is_billing=False)),
    )

    def set_locations(self, locations) -> None:
        self.location_id.choices = [("", "None")] + [(str(loc.id), loc.name) for loc in locations]

    def values(self) -> dict:
        return {
            "first_name": self.first_name.data,
            "last_name": self.last_name.data or "",
            "email": self.email.data,
            "phone": self.phone.data or "",
            "access_level": self.access_level.data,
            "location_id": self.location_id.data or None,
            "grants": set(self.grants.data or []),
        }
