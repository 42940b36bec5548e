"""WTForms of the portal. CSRF and text checks come with config.forms.Form."""

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from config.forms import Form, new_password_field
from tenants.customers.forms import PersonForm, access_level_field, grants_field, location_field


class ProfileForm(Form):
    """The contact's own name and phone."""

    first_name = StringField("First name", validators=[DataRequired(), Length(max=80)])
    last_name = StringField("Last name", validators=[Length(max=80)])
    phone = StringField("Phone", validators=[Length(max=40)])


class ChangePasswordForm(Form):
    """Current and new password."""

    current_password = PasswordField("Current password", validators=[Length(max=200)])
    new_password = new_password_field("New password")


class UserForm(PersonForm):
    """An account owner's form for a colleague (never an owner: only the bakery makes those)."""

    access_level = access_level_field("Which orders they see")
    location_id = location_field("Their location")
    grants = grants_field("What they may do")
