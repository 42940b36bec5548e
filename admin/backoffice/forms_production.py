"""WTForms of the bakery's day pages: the date picker and a route stop's number."""

from __future__ import annotations

from wtforms import DateField
from wtforms.validators import NumberRange, Optional

from config.forms import Form
from config.number_fields import WholeNumberField
from tenants.production.route import MAX_STOPS


class DayForm(Form):
    """The delivery date a page shows (a GET form: links and bookmarks carry it)."""

    class Meta:
        csrf = False

    date = DateField("Delivery date", validators=[Optional()])


class PrintForm(Form):
    """The print button: the date comes from the URL's query string."""


class StopForm(Form):
    """A location's stop on the route; blank takes it off the route."""

    position = WholeNumberField(
        "Stop number",
        validators=[Optional(), NumberRange(min=1, max=MAX_STOPS, message="Use 1 or more.")],
    )
