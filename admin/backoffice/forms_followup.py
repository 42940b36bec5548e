"""Back-office form of the follow-up features: a customer's weekly reminder time."""

from __future__ import annotations

from datetime import time

from wtforms import SelectField, StringField
from wtforms.validators import Length

from config.forms import Form
from tenants.errors import ValidationFailed
from tenants.orders.calendar import WEEKDAY_NAMES


class ReminderForm(Form):
    """Weekday and local time, or "default" for both."""

    weekday = SelectField(
        "Weekday",
        choices=[("", "Default (2 days before the first delivery's cut-off)")]
        + [(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)],
    )
    at = StringField("Time (bakery time, e.g. 14:00)", validators=[Length(max=5)])

    def values(self) -> dict:
        """The service's keyword arguments; a time that does not read as HH:MM is refused."""
        if not self.weekday.data:
            return {"weekday": None, "at": None}
        raw = (self.at.data or "").strip()
        try:
            hours, minutes = (int(part) for part in raw.split(":"))
            at = time(hours, minutes)
        except (ValueError, TypeError) as exc:
            raise ValidationFailed("Enter a time such as 14:00.", field="at") from exc
        return {"weekday": int(self.weekday.data), "at": at}
