"""Back-office forms of standing orders (English; quantities are `qty-<product id>` inputs)."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from config.forms import Form
from config.number_fields import WholeNumberField
from tenants.orders.standing_edit import MAX_NOTES
from tenants.orders.standing_models import CLOSURE_POLICIES, MAX_EVERY_WEEKS, MAX_NAME_LENGTH

EVERY = [("1", "Every week")] + [
    (str(n), f"Every {n} weeks") for n in range(2, MAX_EVERY_WEEKS + 1)
]


class StaffStandingOrderForm(Form):
    """A customer's standing order, as staff set it up."""

    name = StringField("Name (optional)", validators=[Length(max=MAX_NAME_LENGTH)])
    location_id = SelectField("Deliver to", validators=[DataRequired()])
    starts_on = DateField("First delivery", validators=[DataRequired()], render_kw={"type": "date"})
    every_weeks = SelectField("How often", choices=EVERY, default="1")
    ends_on = DateField(
        "Last delivery (optional)", validators=[Optional()], render_kw={"type": "date"}
    )
    notes = TextAreaField("Notes", validators=[Length(max=MAX_NOTES)])


class StandingSettingsForm(Form):
    """The bakery's standing-order choices (on the delivery calendar page)."""

    closure_policy = SelectField(
        "When a standing order falls on a closure", choices=list(CLOSURE_POLICIES.items())
    )
    preview_days = WholeNumberField(
        "Days before the cut-off to email buyers a preview (0: none)",
        validators=[InputRequired(), NumberRange(0, 7, message="0 to 7 days.")],
    )
