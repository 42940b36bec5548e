"""A bakery's invoicing settings and a customer's billing details (mode override, address)."""

from __future__ import annotations

import re

from sqlalchemy import select

from billing.models import CHECKOUT_PAYMENTS, INVOICING_MODES, BillingSettings, CustomerBilling
from tenants.actors import require
from tenants.errors import ValidationFailed

PREFIX_RE = re.compile(r"^[A-Za-z0-9-]{0,12}$")


def get_settings(session, tenant) -> BillingSettings:
    """The bound bakery's settings row, or an unsaved one holding the defaults."""
    row = session.scalar(select(BillingSettings))
    if row is None:
        row = BillingSettings(
            tenant_id=tenant.id,
            invoicing_mode="per_delivered_order",
            invoice_prefix="INV-",
            credit_note_prefix="CN-",
            yearly_reset=True,
            tax_number="",
            bank_details="",
            payment_instructions="",
            checkout_payment="account",
        )
    return row


def update_settings(
    session,
    tenant,
    *,
    actor,
    invoicing_mode: str,
    invoice_prefix: str,
    credit_note_prefix: str,
    yearly_reset: bool,
    tax_number: str,
    bank_details: str,
    payment_instructions: str,
) -> BillingSettings:
    """Save the invoicing settings (staff with `settings`); validates before changing."""
    require(actor, "settings", message="You don't have permission to change settings.")
    if invoicing_mode not in INVOICING_MODES:
        raise ValidationFailed("Choose how invoices are made.", field="invoicing_mode")
    for field, value in (
        ("invoice_prefix", invoice_prefix),
        ("credit_note_prefix", credit_note_prefix),
    ):
        if not PREFIX_RE.match(value.strip()):
            raise ValidationFailed(
                "Use up to 12 letters, digits and hyphens, like RR-.", field=field
            )
    if invoice_prefix.strip() == credit_note_prefix.strip():
        raise ValidationFailed(
            "Credit notes need a prefix of their own.", field="credit_note_prefix"
        )
    row = get_settings(session, tenant)
    row.invoicing_mode = invoicing_mode
    row.invoice_prefix = invoice_prefix.strip()
    row.credit_note_prefix = credit_note_prefix.strip()
    row.yearly_reset = yearly_reset
    row.tax_number = tax_number.strip()[:40]
    row.bank_details = bank_details.strip()
    row.payment_instructions = payment_instructions.strip()
    session.add(row)
    session.flush()
    return row


def customer_billing(session, customer) -> CustomerBilling | None:
    """The customer's billing row, if one was saved."""
    return session.scalar(select(CustomerBilling).where(CustomerBilling.customer_id == customer.id))


def effective_mode(session, tenant, customer) -> str:
    """How `customer` is invoiced: their own mode, else the bakery's."""
    row = customer_billing(session, customer)
    if row is not None and row.invoicing_mode:
        return row.invoicing_mode
    return get_settings(session, tenant).invoicing_mode


def update_customer_billing(
    session,
    tenant,
    *,
    actor,
    customer,
    invoicing_mode: str,
    billing_address: str,
    checkout_payment: str | None = None,
) -> CustomerBilling:
    """Set a customer's invoicing mode ("" for the bakery's), billing address and, when given,
    how they pay at checkout ("" for the bakery's setting)."""
    require(actor, "invoices", message="You don't have permission to change invoicing.")
    if invoicing_mode and invoicing_mode not in INVOICING_MODES:
        raise ValidationFailed("Choose how invoices are made.", field="invoicing_mode")
    if checkout_payment and checkout_payment not in CHECKOUT_PAYMENTS:
        raise ValidationFailed("Choose how this customer pays.", field="checkout_payment")
    row = customer_billing(session, customer)
    if row is None:
        row = CustomerBilling(tenant_id=tenant.id, customer_id=customer.id)
        session.add(row)
    row.invoicing_mode = invoicing_mode or None
    row.billing_address = billing_address.strip()
    if checkout_payment is not None:
        row.checkout_payment = checkout_payment or None
    session.flush()
    return row
