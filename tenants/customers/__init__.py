"""Wholesale customers (cafés, shops, restaurants) of a bakery, their contacts and portal access."""

from tenants.customers.models import Customer

__all__ = ["Customer"]
