"""Customer account services: create, edit, ordering settings, portal access, suspension.

Plain functions taking the tenant and the actor; they flush, the caller commits. Every change is
written to the customer's activity log in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from config.clock import utcnow
from tenants.actors import kind_of, require
from tenants.catalog.models import Assortment, CatalogSettings, PriceList
from tenants.customers.activity import log_activity
from tenants.customers.models import PAYMENT_TERMS, Contact, Customer, DeliveryLocation
from tenants.errors import ValidationFailed
from tenants.lookup import get_by_id
from tenants.plans import check_limit, require_feature
from tenants.scoping import check_bound
from tenants.text_keys import fold_key
from tenants.text_rules import check_text

DETAIL_FIELDS = ("business_name", "trading_name", "tax_number", "billing_email", "phone", "notes")
ORDERING_FIELDS = (
    "payment_terms",
    "may_order_online",
    "minimum_order_minor",
    "delivery_weekdays",
    "order_approval_required",
    "standing_orders_allowed",
)
FIELD_LABELS = {
    "business_name": "business name",
    "trading_name": "trading name",
    "tax_number": "tax number",
    "billing_email": "billing email",
    "phone": "phone",
    "notes": "notes",
    "payment_terms": "payment terms",
    "may_order_online": "online ordering",
    "minimum_order_minor": "minimum order",
    "delivery_weekdays": "delivery days",
    "order_approval_required": "order approval",
    "standing_orders_allowed": "standing orders",
}
# A minimum order above this (10 million in a two-decimal currency) is a typo, and larger
# numbers would not fit the integer column (a 500 instead of a message).
MAX_MINIMUM_ORDER_MINOR = 1_000_000_000
# What an account owner may change from the portal (seed 002: company and billing details).
OWNER_EDITABLE = ("trading_name", "tax_number", "billing_email", "phone")


def get_customer(session, customer_id) -> Customer:
    """The bound tenant's customer with this id; NotFound otherwise (another bakery's too)."""
    return get_by_id(session, Customer, customer_id, missing="No such customer.")


def create_customer(session, tenant, *, actor, business_name: str, now=None, **fields) -> Customer:
    """Add a customer, within the tier's customer limit."""
    require(actor, "customers")
    business_name = clean_fields({"business_name": business_name})["business_name"]
    check_limit(tenant, "customers")
    _check_unique_name(session, business_name)
    values = clean_fields(fields)
    customer = Customer(tenant_id=tenant.id, business_name=business_name, **values)
    session.add(customer)
    session.flush()
    log_activity(
        session,
        customer,
        actor=actor,
        action="customer.created",
        summary=f"Created {business_name}",
        now=now,
    )
    return customer


def update_customer(session, tenant, *, actor, customer: Customer, now=None, **fields) -> Customer:
    """Change a customer's details and ordering settings (staff)."""
    check_bound(session, tenant)
    require(actor, "customers")
    unknown = set(fields) - set(DETAIL_FIELDS) - set(ORDERING_FIELDS)
    if unknown:
        raise ValueError(f"unknown customer fields {sorted(unknown)}")
    return _apply(session, customer, actor, clean_fields(fields), now=now)


def update_company_details(
    session, tenant, *, actor: Contact, customer: Customer, now=None, **fields
) -> Customer:
    """An account owner changes the company details the portal offers them."""
    check_bound(session, tenant)
    require(actor, "edit_account", on=customer)
    if kind_of(actor) != "contact" or set(fields) - set(OWNER_EDITABLE):
        raise ValueError("only company details are editable from the portal")
    return _apply(session, customer, actor, clean_fields(fields), now=now)


def set_portal_enabled(session, tenant, *, actor, customer: Customer, enabled: bool, now=None):
    """Switch the wholesale portal on or off for one customer.

    Switching on needs the tier's `wholesale_portal`; switching off always works. Contacts who
    are signed in lose their session at their next request (the buyer loader checks this flag).
    """
    require(actor, "customers")
    if enabled:
        require_feature(tenant, "wholesale_portal")
    if customer.portal_enabled == enabled:
        return customer
    customer.portal_enabled = enabled
    log_activity(
        session,
        customer,
        actor=actor,
        action="portal.enabled" if enabled else "portal.disabled",
        summary="Wholesale portal switched " + ("on" if enabled else "off"),
        now=now,
    )
    session.flush()
    return customer


def suspend_customer(session, tenant, *, actor, customer: Customer, reason: str, now=None):
    """Suspend: contacts can still sign in and read, and see why; nothing new can be ordered."""
    check_bound(session, tenant)
    require(actor, "customers")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            "Say why the account is suspended; its contacts will see this.", field="reason"
        )
    now = now or utcnow()
    customer.status, customer.suspended_reason, customer.suspended_at = "suspended", reason, now
    log_activity(
        session,
        customer,
        actor=actor,
        action="customer.suspended",
        summary=f"Suspended: {reason}",
        now=now,
    )
    session.flush()
    return customer


def reactivate_customer(session, tenant, *, actor, customer: Customer, now=None):
    """Lift a suspension."""
    check_bound(session, tenant)
    require(actor, "customers")
    if not customer.is_suspended:
        raise ValidationFailed("This account is not suspended.")
    customer.status, customer.suspended_reason, customer.suspended_at = "active", "", None
    log_activity(
        session,
        customer,
        actor=actor,
        action="customer.reactivated",
        summary="Reactivated",
        now=now,
    )
    session.flush()
    return customer


def list_customers(session) -> list[Customer]:
    """The bound tenant's customers, by name."""
    return list(session.scalars(select(Customer).order_by(Customer.business_name)))


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    """What the customer list shows of a customer: read-only columns, not a `Customer` ORM
    object (its 18 columns and identity-map bookkeeping per row were most of the list's cost)."""

    id: uuid.UUID
    business_name: str
    trading_name: str
    status: str
    portal_enabled: bool

    @property
    def is_suspended(self) -> bool:
        return self.status == "suspended"


_SUMMARY_COLUMNS = tuple(getattr(Customer, field) for field in CustomerSummary.__slots__)


@dataclass(frozen=True)
class CustomerRow:
    """One line of the back office's customer list."""

    customer: CustomerSummary
    locations: int
    contacts: int
    active_contacts: int
    price_list: str | None = None  # None: the bakery's default list
    assortment: str | None = None  # None: the full active catalog
    default_list: str | None = None  # the bakery's default list's name, if it has one


# The default list, apart from the customer's own list the overview joins.
DefaultList = aliased(PriceList, name="default_list")


def customer_overview(session, *, search: str = "") -> list[CustomerRow]:
    """Customers with their location and contact counts, their price list and assortment names
    and the bakery's default list's name (for customers on it), in one query however many
    there are."""
    stmt = _overview_statement()
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        stmt = stmt.where(
            func.lower(Customer.business_name).like(pattern)
            | func.lower(Customer.trading_name).like(pattern)
        )
    width = len(_SUMMARY_COLUMNS)
    return [
        CustomerRow(CustomerSummary(*row[:width]), *row[width:]) for row in session.execute(stmt)
    ]


@cache
def _overview_statement():
    """The overview's statement, built once: building its subqueries and joins cost more than
    running it."""
    locations = (
        select(func.count(DeliveryLocation.id))
        .where(
            DeliveryLocation.customer_id == Customer.id,
            DeliveryLocation.tenant_id == Customer.tenant_id,
        )
        .correlate(Customer)
        .scalar_subquery()
    )
    contacts = (
        select(func.count(Contact.id))
        .where(Contact.customer_id == Customer.id, Contact.tenant_id == Customer.tenant_id)
        .correlate(Customer)
        .scalar_subquery()
    )
    active = (
        select(func.count(Contact.id))
        .where(
            Contact.customer_id == Customer.id,
            Contact.tenant_id == Customer.tenant_id,
            Contact.status == "active",
        )
        .correlate(Customer)
        .scalar_subquery()
    )
    # Not correlated: the server computes it once for the whole list.
    default_list = (
        select(DefaultList.name)
        .join(
            CatalogSettings,
            (CatalogSettings.tenant_id == DefaultList.tenant_id)
            & (CatalogSettings.default_price_list_id == DefaultList.id),
        )
        .scalar_subquery()
    )
    return (
        select(
            *_SUMMARY_COLUMNS,
            locations,
            contacts,
            active,
            PriceList.name,
            Assortment.name,
            default_list,
        )
        .outerjoin(
            PriceList,
            (PriceList.tenant_id == Customer.tenant_id) & (PriceList.id == Customer.price_list_id),
        )
        .outerjoin(
            Assortment,
            (Assortment.tenant_id == Customer.tenant_id)
            & (Assortment.id == Customer.assortment_id),
        )
        .order_by(Customer.business_name)
    )


def _check_unique_name(session, business_name: str, *, other_than=None) -> None:
    stmt = select(Customer.id).where(Customer.name_key == fold_key(business_name))
    if other_than is not None:
        stmt = stmt.where(Customer.id != other_than)
    if session.scalar(stmt):
        raise ValidationFailed("A customer with this business name exists.", field="business_name")


def clean_fields(fields: dict) -> dict:
    """Validate and normalise customer fields; raise ValidationFailed naming the field.
    (The customers CSV import checks its rows with it too.)"""
    values = dict(fields)
    for name in ("business_name", "trading_name", "tax_number", "billing_email", "phone", "notes"):
        if name in values and values[name] is not None:
            values[name] = values[name].strip()
            # The forms' text rules, here too, so a CSV cell can't carry what a form refuses.
            check_text(values[name], field=name, multiline=name == "notes")
    if "business_name" in values and not values["business_name"]:
        raise ValidationFailed("Enter the customer's business name.", field="business_name")
    email = values.get("billing_email")
    if email:
        if "@" not in email or " " in email or len(email) > 254:
            raise ValidationFailed("Enter a valid email address.", field="billing_email")
        values["billing_email"] = email.lower()
    if "payment_terms" in values and values["payment_terms"] not in PAYMENT_TERMS:
        raise ValidationFailed("Choose payment terms.", field="payment_terms")
    minimum = values.get("minimum_order_minor")
    if minimum is not None and (not isinstance(minimum, int) or minimum < 0):
        raise ValidationFailed("Enter a minimum of zero or more.", field="minimum_order_minor")
    if minimum is not None and minimum > MAX_MINIMUM_ORDER_MINOR:
        raise ValidationFailed("That minimum is too high to be right.", field="minimum_order_minor")
    if "delivery_weekdays" in values:
        days = sorted({int(d) for d in values["delivery_weekdays"] or []})
        if any(d < 0 or d > 6 for d in days):
            raise ValidationFailed("Choose weekdays.", field="delivery_weekdays")
        values["delivery_weekdays"] = days
    return values


def _apply(session, customer: Customer, actor, values: dict, *, now=None) -> Customer:
    if "business_name" in values:
        _check_unique_name(session, values["business_name"], other_than=customer.id)
    changed = {
        name: [_plain(getattr(customer, name)), _plain(value)]
        for name, value in values.items()
        if getattr(customer, name) != value
    }
    for name, value in values.items():
        setattr(customer, name, value)
    if changed:
        log_activity(
            session,
            customer,
            actor=actor,
            action="customer.updated",
            summary="Changed " + ", ".join(FIELD_LABELS[n] for n in changed),
            details={"changes": changed},
            now=now,
        )
    session.flush()
    return customer


def _plain(value):
    return value if isinstance(value, str | int | bool | list | type(None)) else str(value)
