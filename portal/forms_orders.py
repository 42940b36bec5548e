"""Forms of the buyer's ordering pages. CSRF and text checks come with config.forms.Form."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from config.forms import Form
from tenants.orders.models import MAX_NOTES_LENGTH, MAX_PO_LENGTH


class QuantityForm(Form):
    """One product's quantity: "add to cart" on the catalog, "update" on the cart."""

    product_id = HiddenField(validators=[DataRequired()])
    quantity = StringField(_l("Quantity"), validators=[Length(max=12)])


class OrdersFilterForm(Form):
    """The orders list's delivery-date range (a GET form: links and bookmarks carry it)."""

    class Meta:
        csrf = False

    delivery_from = DateField(
        _l("Delivery from"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )
    delivery_until = DateField(
        _l("Delivery until"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )

    def validate(self, extra_validators=None) -> bool:
        """Dates as YYYY-MM-DD, and a range that does not end before it starts."""
        ok = super().validate(extra_validators)
        for name in ("delivery_from", "delivery_until"):
            field = getattr(self, name)
            if field.errors:
                field.errors = [_l("Enter a date like 2026-12-08.")]
        start, end = self.delivery_from.data, self.delivery_until.data
        if ok and start and end and end < start:
            self.delivery_until.errors = [_l("The end date is before the start date.")]
            ok = False
        return ok


class CheckoutForm(Form):
    """Where and when to deliver, the buyer's references, and the form's idempotency key."""

    # The service checks both (the contact's locations, the calendar), so a choice that went
    # stale since the page loaded gets the calendar's reason rather than "not a valid choice".
    location_id = SelectField(
        _l("Deliver to"), validators=[DataRequired(_l("Choose a location."))], validate_choice=False
    )
    delivery_date = SelectField(
        _l("Delivery date"),
        validators=[DataRequired(_l("Choose a delivery date."))],
        validate_choice=False,
    )
    po_number = StringField(_l("PO number (optional)"), validators=[Length(max=MAX_PO_LENGTH)])
    notes = TextAreaField(
        _l("Notes for the bakery (optional)"), validators=[Length(max=MAX_NOTES_LENGTH)]
    )
    idempotency_key = HiddenField()
    allow_second_order = BooleanField(_l("Place a second order for that day and place anyway"))
    # The choices are what this customer's checkout offers (billing.card_checkout); the service
    # refuses one it does not, next to the field.
    payment = RadioField(
        _l("Payment"),
        choices=[
            ("account", _l("On account: pay the invoice later")),
            ("card", _l("Card now: pay securely through Stripe")),
        ],
        default="account",
        validate_choice=False,
    )

    def fresh_key(self) -> None:
        """A new key for a freshly shown form; a resubmit carries the old one back."""
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_urlsafe(24)


class OrderActionForm(Form):
    """A button on an order (cancel, reorder) carrying the version the page showed."""

    version = HiddenField()


class MessageForm(Form):
    """ "Ask the bakery" about an order."""

    message = TextAreaField(
        _l("Ask the bakery"),
        validators=[DataRequired(_l("Write what you'd like to ask.")), Length(max=1000)],
    )
