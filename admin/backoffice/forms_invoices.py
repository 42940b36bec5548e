"""WTForms of the back office's invoice pages (CSRF and text checks from config.forms.Form)."""

from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from billing.models import CHECKOUT_PAYMENTS, INVOICING_MODES
from billing.queries import FILTERS
from config.forms import Form


class InvoiceFilterForm(Form):
    """The invoice list's filters (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status", choices=[("", "Any status"), *FILTERS.items()], validators=[Optional()]
    )
    customer_id = SelectField(
        "Customer", choices=[], validators=[Optional()], validate_choice=False
    )


class InvoiceNowForm(Form):
    """Staff's "invoice this customer's delivered orders now"."""

    customer_id = SelectField(
        "Customer", choices=[], validators=[DataRequired()], validate_choice=False
    )


class VoidForm(Form):
    reason = TextAreaField(
        "Reason (printed on the void invoice)", validators=[DataRequired(), Length(max=500)]
    )


class CreditNoteForm(Form):
    """The reason; quantities per line are read as qty-<line id> next to each line."""

    reason = StringField(
        "Reason (printed on the credit note)", validators=[DataRequired(), Length(max=200)]
    )


class DeliveryForm(Form):
    """Why (shared by the lines); delivered-/returned-<line id> and the substitute are read
    next to their lines."""

    reason = StringField(
        "Reason (e.g. sold out, damaged)", validators=[Optional(), Length(max=200)]
    )
    substitute_product = SelectField(
        "Substitute product", choices=[], validators=[Optional()], validate_choice=False
    )
    substitute_quantity = StringField("Substitute quantity", validators=[Optional()])
    substitute_for = SelectField(
        "In place of", choices=[], validators=[Optional()], validate_choice=False
    )


class BillingSettingsForm(Form):
    invoicing_mode = SelectField("How invoices are made", choices=list(INVOICING_MODES.items()))
    invoice_prefix = StringField("Invoice number prefix", validators=[Length(max=12)])
    credit_note_prefix = StringField("Credit note prefix", validators=[Length(max=12)])
    yearly_reset = BooleanField("Start numbering again each year (RR-2026-0001)")
    tax_number = StringField("Your tax number", validators=[Length(max=40)])
    bank_details = TextAreaField("Bank details", validators=[Length(max=1000)])
    payment_instructions = TextAreaField("Payment instructions", validators=[Length(max=1000)])


class CustomerBillingForm(Form):
    invoicing_mode = SelectField(
        "How this customer is invoiced",
        choices=[("", "As the bakery's setting"), *INVOICING_MODES.items()],
        validators=[Optional()],
    )
    billing_address = TextAreaField("Billing address", validators=[Length(max=1000)])
    checkout_payment = SelectField(
        "How this customer pays at checkout",
        choices=[("", "As the bakery's setting"), *CHECKOUT_PAYMENTS.items()],
        validators=[Optional()],
    )


class CheckoutPaymentForm(Form):
    """What the wholesale portal's checkout offers the bakery's customers."""

    checkout_payment = RadioField(
        "What checkout offers", choices=list(CHECKOUT_PAYMENTS.items()), validate_choice=False
    )
