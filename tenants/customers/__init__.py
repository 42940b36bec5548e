"""Wholesale customers (cafés, shops, restaurants) of a bakery, their contacts and portal access."""

from tenants.customers.models import Contact, Customer, CustomerActivity, DeliveryLocation

__all__ = ["Contact", "Customer", "CustomerActivity", "DeliveryLocation"]
