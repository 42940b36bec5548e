"""Bakery slugs: the part of every URL that names the bakery."""

from __future__ import annotations

import re

from tenants.errors import ValidationFailed

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
RESERVED = frozenset(
    {
        "admin",
        "platform",
        "api",
        "static",
        "wholesale",
        "webhooks",
        "signup",
        "login",
        "logout",
        "healthz",
        "readyz",
        "dev",
        "brand",
        "www",
        "mail",
        "help",
        "support",
        "billing",
        "status",
        "assets",
        "app",
        "account",
        "settings",
        "stripe",
        "portal",
        "docs",
        "about",
        "new",
    }
)


def validate_slug(slug: str) -> str:
    """Return the slug if it is well formed and not reserved; raise ValidationFailed otherwise."""
    if not SLUG_RE.match(slug or "") or "--" in slug:
        raise ValidationFailed(
            "Use 2 to 40 lowercase letters, digits and single hyphens, starting and ending "
            "with a letter or digit.",
            field="slug",
        )
    if len(slug) < 2:
        raise ValidationFailed("Use at least 2 characters.", field="slug")
    if slug in RESERVED:
        raise ValidationFailed(
            f"'{slug}' is reserved. Please choose another address.", field="slug"
        )
    return slug
