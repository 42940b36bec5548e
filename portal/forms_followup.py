"""Forms of the buyer's follow-up pages: rating an order, asking about a product's return."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import Length

from config.forms import Form
from tenants.orders.followup_models import MAX_COMMENT_LENGTH

STARS = [(str(n), str(n)) for n in range(1, 6)]


class RatingForm(Form):
    """1 to 5 and an optional comment; the service checks both (errors go next to each)."""

    score = RadioField(_l("Your rating (1 to 5)"), choices=STARS, validate_choice=False)
    comment = TextAreaField(
        _l("Comment for the bakery (optional)"), validators=[Length(max=MAX_COMMENT_LENGTH)]
    )


class StockRequestForm(Form):
    """ "Notify me" (wanted=1) or "Stop" (wanted=0) for one product."""

    wanted = HiddenField()
