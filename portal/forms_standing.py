"""Forms of the buyer's standing-order pages. CSRF and text checks come with config.forms.Form;
quantities are `qty-<product id>` inputs read by `tenants.orders.standing_edit.form_lines`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from config.forms import Form
from tenants.orders.standing_edit import MAX_NOTES
from tenants.orders.standing_models import MAX_EVERY_WEEKS, MAX_NAME_LENGTH


def every_choices(gettext) -> list[tuple[str, str]]:
    """1 -> "Every week", 2 -> "Every 2 weeks", ..."""
    return [("1", gettext("Every week"))] + [
        (str(n), gettext("Every %(n)s weeks", n=n)) for n in range(2, MAX_EVERY_WEEKS + 1)
    ]


class StandingOrderForm(Form):
    """A standing order's schedule and place (its products are the quantity inputs)."""

    name = StringField(_l("Name (optional)"), validators=[Length(max=MAX_NAME_LENGTH)])
    location_id = SelectField(_l("Deliver to"), validators=[DataRequired()])
    starts_on = DateField(
        _l("First delivery"), validators=[DataRequired()], render_kw={"type": "date"}
    )
    every_weeks = SelectField(_l("How often"), default="1")
    ends_on = DateField(
        _l("Last delivery (optional)"), validators=[Optional()], render_kw={"type": "date"}
    )
    notes = TextAreaField(_l("Notes for the bakery"), validators=[Length(max=MAX_NOTES)])


class PauseForm(Form):
    """Pause a standing order from one day to another."""

    first_day = DateField(_l("From"), validators=[DataRequired()], render_kw={"type": "date"})
    last_day = DateField(_l("Until"), validators=[DataRequired()], render_kw={"type": "date"})
