"""Tenancy kernel and the tenant-owned domain.

The kernel (this package's top-level modules) knows bakeries (tenants), their plan tiers and
feature gates, and how every query is scoped to one bakery. The domain lives in sub-packages
(`staff`, `customers`, `catalog`, `orders`), each owning its tables, services and errors.
"""
