"""WTForms of the back office's receivables pages: a payment (with one amount box per open
invoice), voiding one, the reminder and statement settings, the export period, and the online
payment attempts list's filters."""

from __future__ import annotations

import secrets

from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from billing import online_attempts
from billing.payments import MAX_NOTES, MAX_REFERENCE, alloc_field
from billing.receivables_models import METHODS
from config.forms import Form
from config.number_fields import NumberField, WholeNumberField


class PaymentForm(Form):
    """Money received: how much, when, how, and a reference; and the form's idempotency key."""

    amount = NumberField(
        "Amount received", places=2, validators=[InputRequired("Enter the amount received.")]
    )
    received_on = DateField("Received on", validators=[DataRequired("Enter the date.")])
    method = SelectField("Paid by", choices=list(METHODS.items()), default="bank_transfer")
    reference = StringField(
        "Reference",
        validators=[Optional(), Length(max=MAX_REFERENCE)],
        description="The cheque number or the bank transfer's reference, to find it later.",
    )
    notes = TextAreaField("Note (optional)", validators=[Optional(), Length(max=MAX_NOTES)])
    idempotency_key = HiddenField()

    def fresh_key(self) -> None:
        """A new key for a freshly shown form; a resubmit carries the old one back."""
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_urlsafe(24)


def payment_form_for(invoices, **kwargs) -> PaymentForm:
    """A PaymentForm with one optional amount box per open invoice, oldest first."""
    fields = {
        alloc_field(invoice.id): NumberField(
            f"Amount for {invoice.number}", places=2, validators=[Optional()]
        )
        for invoice in invoices
    }
    form_class = type("InvoicePaymentForm", (PaymentForm,), fields)
    return form_class(**kwargs)


class VoidPaymentForm(Form):
    reason = TextAreaField(
        "Why (for the record)",
        validators=[DataRequired("Say why, for the record."), Length(max=MAX_NOTES)],
    )


class ReceivablesSettingsForm(Form):
    reminders_enabled = BooleanField("Send payment reminders to customers")
    before = WholeNumberField(
        "Days before the due date",
        validators=[Optional(), NumberRange(min=1, max=30)],
        description="A friendly reminder this many days before the due date (empty: none).",
    )
    on_due_date = BooleanField("On the due date")
    after = StringField(
        "Days after the due date",
        validators=[Optional(), Length(max=60)],
        description="Overdue reminders, separated by commas: 7, 14 sends one a week late and one "
        "two weeks late.",
    )
    statements_enabled = BooleanField("Email each customer who owes money a statement monthly")
    statement_day = WholeNumberField(
        "Day of the month for statements",
        validators=[InputRequired("Choose a day."), NumberRange(min=1, max=28)],
    )
    xero_account_code = StringField(
        "Xero sales account code",
        validators=[DataRequired("Enter the account code."), Length(max=20)],
    )
    xero_tax_type = StringField(
        "Xero tax rate name",
        validators=[DataRequired("Enter the tax rate name."), Length(max=60)],
        description="As your tax rates are named in Xero; {rate} is replaced by the line's rate.",
    )
    xero_zero_tax_type = StringField(
        "Xero name of the zero rate",
        validators=[DataRequired("Enter the zero rate's name."), Length(max=60)],
    )


class ExportForm(Form):
    """The period of an accounting export (a GET form)."""

    class Meta:
        csrf = False

    date_from = DateField("From", validators=[Optional()])
    date_until = DateField("Until", validators=[Optional()])


class OnlineAttemptFilterForm(Form):
    """The online payment attempts list's filters (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    show = SelectField(
        "Show", choices=list(online_attempts.SHOW.items()), default=online_attempts.DEFAULT_SHOW
    )
    status = SelectField(
        "Status",
        choices=[("", "Any status"), *online_attempts.STATUS_LABELS.items()],
        validators=[Optional()],
    )
    kind = SelectField(
        "Kind",
        choices=[("", "Any kind"), *online_attempts.KIND_LABELS.items()],
        validators=[Optional()],
    )
    customer_id = SelectField(
        "Customer", choices=[], validators=[Optional()], validate_choice=False
    )
