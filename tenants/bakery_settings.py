"""A bakery edits its own settings: name, locale, address, branding, order approval."""

from __future__ import annotations

import re

from tenants.actors import require
from tenants.errors import ValidationFailed
from tenants.images import inspect_image
from tenants.locales import validate_currency, validate_locale, validate_timezone

MAX_LOGO_BYTES = 512 * 1024
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_logo(data: bytes) -> str:
    """Return the content type of a logo image, or raise ValidationFailed."""
    return inspect_image(
        data, field="logo", noun="logo", formats=LOGO_FORMATS, max_bytes=MAX_LOGO_BYTES
    )


def update_settings(
    session,
    tenant,
    *,
    actor,
    name: str,
    timezone: str,
    currency: str,
    locale: str,
    address: str,
    contact_email: str,
    brand_colour: str,
    order_approval_required: bool,
    logo: bytes | None = None,
    remove_logo: bool = False,
):
    """Apply the settings form; validates everything before changing anything."""
    require(actor, "settings", message="You don't have permission to change settings.")
    if not name.strip():
        raise ValidationFailed("Enter the bakery's name.", field="name")
    validate_timezone(timezone)
    currency = validate_currency(currency)
    validate_locale(locale)
    if not COLOUR_RE.match(brand_colour or ""):
        raise ValidationFailed("Use a colour like #8a5a2b.", field="brand_colour")
    logo_type = validate_logo(logo) if logo else None

    tenant.name = name.strip()
    tenant.timezone = timezone
    tenant.currency = currency
    tenant.locale = locale
    tenant.address = address.strip()
    tenant.contact_email = contact_email.strip().lower()
    tenant.brand_colour = brand_colour.lower()
    tenant.order_approval_required = order_approval_required
    if logo_type:
        tenant.logo, tenant.logo_content_type = logo, logo_type
    elif remove_logo:
        tenant.logo, tenant.logo_content_type = None, None
    session.flush()
    return tenant
