"""WTForms of the back office, the console and sign-up.

CSRF and text checks come with config.forms.Form; the forms the portal uses too (sign-in,
email, new password, confirm, checkboxes) live in config.forms.
"""

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import DateField, DateTimeLocalField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from config.forms import CheckboxesField, Form, new_password_field
from config.number_fields import NumberField, WholeNumberField
from tenants.audit_log import ACTIONS as AUDIT_ACTIONS
from tenants.features import FEATURES
from tenants.locales import LOCALE_CHOICES, currency_choices, timezone_choices
from tenants.platform_admin import MAX_LIMIT, MAX_MONTHLY_PRICE_MINOR
from tenants.staff.permissions import role_choices


class SignUpForm(Form):
    name = StringField("Bakery name", validators=[DataRequired(), Length(max=120)])
    slug = StringField(
        "Web address",
        validators=[DataRequired(), Length(max=40)],
        description="Your back office and wholesale portal live under this name.",
    )
    owner_name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    password = new_password_field("Password")
    timezone = SelectField("Timezone", default="Europe/London")
    currency = SelectField("Currency", default="EUR")
    locale = SelectField("Language and region", default="en_GB", choices=LOCALE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        self.currency.choices = currency_choices()


class InviteStaffForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    # No role is preselected: opening on "Owner" made one careless click a new owner.
    role = SelectField(
        "Role",
        choices=[("", "Choose a role…"), *role_choices()],
        default="",
        validators=[InputRequired(message="Choose the role this person needs.")],
        description="Give the least access the job needs; you can change it later.",
    )


class RoleForm(Form):
    role = SelectField("Role", choices=role_choices())


class SettingsForm(Form):
    name = StringField("Bakery name", validators=[DataRequired(), Length(max=120)])
    contact_email = EmailField(
        "Contact email (replies to our emails go here)",
        validators=[Optional(), Email(), Length(max=254)],
    )
    address = TextAreaField("Address", validators=[Length(max=500)])
    timezone = SelectField("Timezone")
    currency = SelectField("Currency")
    locale = SelectField("Language and region", choices=LOCALE_CHOICES)
    brand_colour = StringField("Brand colour", validators=[DataRequired(), Length(max=7)])
    logo = FileField("Logo (PNG, JPEG, GIF or WebP, up to 512 KB)")
    remove_logo = BooleanField("Remove the current logo")
    order_approval_required = BooleanField("Review new portal orders before they are confirmed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        self.currency.choices = currency_choices()


class PlanForm(Form):
    code = StringField("Code", validators=[DataRequired(), Length(max=40)])
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    monthly_price = NumberField(
        "Monthly price",
        places=2,
        validators=[InputRequired(), NumberRange(min=0, max=MAX_MONTHLY_PRICE_MINOR // 100)],
    )
    stripe_price_id = StringField(
        "Stripe price id (price_...; blank: not sold online, bakeries request it)",
        validators=[Optional(), Length(max=100)],
    )
    features = CheckboxesField("Features", choices=list(FEATURES.items()))
    max_customers = WholeNumberField(
        "Customers (blank = unlimited)", validators=[Optional(), NumberRange(min=0, max=MAX_LIMIT)]
    )
    max_staff_users = WholeNumberField(
        "Staff users (blank = unlimited)",
        validators=[Optional(), NumberRange(min=0, max=MAX_LIMIT)],
    )
    max_products = WholeNumberField(
        "Products (blank = unlimited)", validators=[Optional(), NumberRange(min=0, max=MAX_LIMIT)]
    )


class ChangeTierForm(Form):
    plan_id = SelectField("Tier")


class OverrideForm(Form):
    plan_id = SelectField("Override tier")
    expires_at = DateTimeLocalField("Until (UTC)", format="%Y-%m-%dT%H:%M", validators=[Optional()])


class SuspendForm(Form):
    reason = TextAreaField(
        "Reason (shown to the platform team only)", validators=[DataRequired(), Length(max=500)]
    )


class SearchForm(Form):
    class Meta:
        csrf = False

    q = StringField("Search")


class AuditFilterForm(Form):
    """The audit log's filters (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    # An unknown bakery or action filters nothing rather than erroring: these are links.
    tenant_id = SelectField("Bakery", choices=[], validate_choice=False)
    action = SelectField(
        "Action", choices=[("", "All actions"), *AUDIT_ACTIONS.items()], validate_choice=False
    )
    on_or_after = DateField("From", validators=[Optional()])
    on_or_before = DateField("To", validators=[Optional()])
