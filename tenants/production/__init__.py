"""The bakery's day: what to bake (production sheets), what goes in which crate (packing slips
in route order), when each was last printed, and the home page's order charts.

Sits above `tenants.orders` in the layers inside `tenants` (it reads orders, customers and the
catalog; nothing below imports it).
"""
