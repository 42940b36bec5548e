"""WTForms of the back office's ordering pages. CSRF and text checks come with config.forms.Form."""

from __future__ import annotations

import secrets
from datetime import time

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from config.forms import Form
from tenants.orders.calendar import WEEKDAY_NAMES
from tenants.orders.desk import SORTS
from tenants.orders.models import MAX_NOTES_LENGTH, MAX_PO_LENGTH, SOURCES, STATUSES
from tenants.orders.states import MAX_REASON_LENGTH


class OrderFilterForm(Form):
    """The orders list's filters and sort (a GET form: links and bookmarks carry it)."""

    class Meta:
        csrf = False

    delivery_from = DateField("Delivery from", validators=[Optional()])
    delivery_until = DateField("Delivery until", validators=[Optional()])
    status = SelectField("Status", choices=[("", "Any status"), *STATUSES.items()], default="")
    customer_id = SelectField("Customer", default="", validate_choice=False)
    source = SelectField("Source", choices=[("", "Any source"), *SOURCES.items()], default="")
    sort = SelectField("Sort", choices=list(SORTS.items()), default="-delivery")
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1)], default=1)


class VersionForm(Form):
    """A button on one order carrying the version the page showed (optimistic locking)."""

    version = HiddenField()


class StatusForm(VersionForm):
    to = SelectField("Move to", validate_choice=False)
    reason = TextAreaField("Note (optional)", validators=[Length(max=MAX_REASON_LENGTH)])


class RejectForm(VersionForm):
    reason = TextAreaField(
        "Reason (the buyer reads it)",
        validators=[DataRequired("Say why, so the buyer knows."), Length(max=MAX_REASON_LENGTH)],
    )


class BulkStatusForm(Form):
    """Ticked orders of the list and the status to move them to."""

    order_ids = SelectMultipleField("Orders", validate_choice=False)
    to = SelectField("Move ticked orders to", validate_choice=False)


class DeskOrderForm(Form):
    """An order taken by phone: where, when, references, the cut-off override and its reason.
    The quantities come as one `qty-<product id>` field per product (read by the view)."""

    location_id = SelectField(
        "Deliver to", validators=[DataRequired("Choose a location.")], validate_choice=False
    )
    delivery_date = SelectField(
        "Delivery date", validators=[DataRequired("Choose a delivery date.")], validate_choice=False
    )
    po_number = StringField("PO number (optional)", validators=[Length(max=MAX_PO_LENGTH)])
    notes = TextAreaField("Notes (optional)", validators=[Length(max=MAX_NOTES_LENGTH)])
    cutoff_override_reason = StringField(
        "Reason for taking it past the cut-off",
        validators=[Length(max=MAX_REASON_LENGTH)],
        description="Needed only for a date whose cut-off has passed; it goes on the timeline.",
    )
    allow_second_order = BooleanField("Place a second order for that day and place anyway")
    idempotency_key = HiddenField()

    def fresh_key(self) -> None:
        """A new key for a freshly shown form; a resubmit carries the old one back."""
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_urlsafe(24)


class DeliveryDaysForm(Form):
    """Delivery weekdays, each with its cut-off (days before, local time)."""


for _number, _name in enumerate(WEEKDAY_NAMES):
    setattr(DeliveryDaysForm, f"on_{_number}", BooleanField(f"Deliver on {_name}s"))
    setattr(
        DeliveryDaysForm,
        f"days_before_{_number}",
        IntegerField(
            f"{_name}: days before",
            validators=[Optional(), NumberRange(min=0, max=14, message="0 to 14 days.")],
            default=1,
        ),
    )
    setattr(
        DeliveryDaysForm,
        f"cutoff_{_number}",
        TimeField(f"{_name}: cut-off time", validators=[Optional()], default=time(14, 0)),
    )


class ClosureForm(Form):
    first_day = DateField("First day closed", validators=[DataRequired("Choose a date.")])
    last_day = DateField("Last day closed", validators=[DataRequired("Choose a date.")])
    reason = StringField(
        "Reason (buyers see it)",
        validators=[DataRequired("Say why, e.g. 'Christmas'."), Length(max=200)],
    )
