"""The registry of features a tier can include, and of limits a tier can set.

Features are code (a gate needs code behind it); which tier includes which is data operators edit.
"""

FEATURES: dict[str, str] = {
    "wholesale_portal": "Wholesale portal for customers",
    "standing_orders": "Standing (recurring) orders",
    "weekly_reminders": "Weekly 'time to order' reminder emails",
    "online_payments": "Online card payments (Stripe)",
    "catalog_export": "Catalog export (CSV and PDF) for buyers",
    "api": "JSON API",
}

LIMITS: dict[str, str] = {
    "customers": "customers",
    "staff_users": "staff users",
    "products": "products",
}

# The default tiers a fresh deployment starts with (the first migration inserts them).
DEFAULT_PLANS = [
    {
        "code": "starter",
        "name": "Starter",
        "monthly_price_minor": 4900,
        "features": [],
        "max_customers": 25,
        "max_staff_users": 3,
        "max_products": 100,
        "is_fallback": True,
        "position": 1,
    },
    {
        "code": "professional",
        "name": "Professional",
        "monthly_price_minor": 12900,
        "features": [
            "wholesale_portal",
            "standing_orders",
            "weekly_reminders",
            "online_payments",
            "catalog_export",
        ],
        "max_customers": 250,
        "max_staff_users": 15,
        "max_products": 1000,
        "is_fallback": False,
        "position": 2,
    },
    {
        "code": "enterprise",
        "name": "Enterprise",
        "monthly_price_minor": 29900,
        "features": [
            "wholesale_portal",
            "standing_orders",
            "weekly_reminders",
            "online_payments",
            "catalog_export",
            "api",
        ],
        "max_customers": None,
        "max_staff_users": None,
        "max_products": None,
        "is_fallback": False,
        "position": 3,
    },
]
