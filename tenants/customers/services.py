"""Customer account services."""

from __future__ import annotations

from sqlalchemy import func, select

from tenants.customers.models import Customer
from tenants.errors import ValidationFailed
from tenants.plans import check_limit


def create_customer(session, tenant, *, actor, business_name: str, **fields) -> Customer:
    """Add a customer, within the tier's customer limit."""
    business_name = business_name.strip()
    if not business_name:
        raise ValidationFailed("Enter the customer's business name.", field="business_name")
    check_limit(tenant, "customers")
    exists = session.scalar(
        select(Customer.id).where(func.lower(Customer.business_name) == business_name.lower())
    )
    if exists:
        raise ValidationFailed("A customer with this business name exists.", field="business_name")
    customer = Customer(tenant_id=tenant.id, business_name=business_name, **fields)
    session.add(customer)
    session.flush()
    return customer


def list_customers(session) -> list[Customer]:
    """The bound tenant's customers, by name."""
    return list(session.scalars(select(Customer).order_by(Customer.business_name)))
