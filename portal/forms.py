"""WTForms of the portal. CSRF and text checks come with config.forms.Form."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField, TelField
from wtforms.validators import DataRequired, Length

from config.forms import Form, new_password_field
from tenants.customers.forms import PersonForm, access_level_field, grants_field, location_field


class ProfileForm(Form):
    """The contact's own name and phone."""

    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[Length(max=80)])
    phone = TelField(_l("Phone"), validators=[Length(max=40)], render_kw={"autocomplete": "tel"})


class ChangePasswordForm(Form):
    """Current and new password."""

    current_password = PasswordField(_l("Current password"), validators=[Length(max=200)])
    new_password = new_password_field(_l("New password"))


class UserForm(PersonForm):
    """An account owner's form for a colleague (never an owner: only the bakery makes those)."""

    access_level = access_level_field(_l("Which orders they see"))
    location_id = location_field(_l("Their location"))
    grants = grants_field(_l("What they may do"))
