"""Roles map to named permissions here, in one table. Views check permissions, never role names."""

PERMISSIONS: dict[str, str] = {
    "settings": "Edit the bakery's settings",
    "staff": "Invite staff and change their roles",
    "catalog": "Edit the catalog and price lists",
    "catalog_view": "See the catalog and price lists",
    "customers": "Edit customers, contacts and portal access",
    "customers_view": "See customers and contacts",
    "orders": "Take and change orders",
    "orders_view": "See orders",
    "production": "See production sheets",
    "invoices": "Issue and change invoices",
    "payments": "Record payments and refunds",
    "mail": "See the bakery's sent emails and resend them",
}

ROLES: dict[str, tuple[str, frozenset[str]]] = {
    "owner": ("Owner", frozenset(PERMISSIONS)),
    "manager": ("Manager", frozenset(PERMISSIONS) - {"staff"}),
    "sales": (
        "Sales (order taking)",
        frozenset(
            {"orders", "orders_view", "customers", "customers_view", "catalog_view", "production"}
        ),
    ),
    "production": (
        "Production (read-only)",
        frozenset({"production", "orders_view", "catalog_view"}),
    ),
    "accounts": (
        "Accounts (invoices and payments)",
        frozenset({"invoices", "payments", "customers_view", "orders_view", "mail"}),
    ),
}

# The staff permission that covers an account-level permission of a customer's contacts: staff
# who may edit customers may do to an account whatever its owner may.
STAFF_FOR_ACCOUNT = {"edit_account": "customers", "manage_users": "customers"}

# A permission that edits implies the one that views.
_IMPLIES = {"catalog": "catalog_view", "customers": "customers_view", "orders": "orders_view"}


def role_permissions(role: str) -> frozenset[str]:
    """The permissions `role` grants (unknown roles grant none)."""
    granted = set(ROLES.get(role, ("", frozenset()))[1])
    granted |= {_IMPLIES[p] for p in granted if p in _IMPLIES}
    return frozenset(granted)


def role_choices() -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _) in ROLES.items()]


def role_explanations() -> list[tuple[str, str, list[str]]]:
    """(code, label, what it may do) for each role, for the text beside a role select."""
    return [
        (code, label, [PERMISSIONS[p] for p in PERMISSIONS if p in perms])
        for code, (label, perms) in ROLES.items()
    ]
