"""Billing's domain errors (translated to HTTP by `config.web_errors` like the others)."""

from tenants.errors import ValidationFailed


class NothingToInvoice(ValidationFailed):
    """There is nothing (left) to put on an invoice."""


class InvoiceLocked(ValidationFailed):
    """An issued invoice (or an order on one) cannot change: use a credit note."""
