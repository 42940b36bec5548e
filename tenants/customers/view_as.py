"""The "view portal as" contract between the back office (which starts it) and the portal
(which honours it): what the session holds while a staff member looks over a buyer's shoulder.

A look, not a second login: the record names the bakery, the customer and the contact, and it
lapses on its own after `VIEW_AS_LIFETIME`. Both edges import it from here, so neither imports
the other.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from config.clock import utcnow

# The session key the back office's "view portal as" button sets.
VIEW_AS_KEY = "portal_view_as"
VIEW_AS_LIFETIME = timedelta(hours=1)


def view_as_choice(tenant, customer, contact, *, now: datetime | None = None) -> dict:
    """What the back office stores in the session to view the portal as `contact`."""
    return {
        "tenant_id": str(tenant.id),
        "contact_id": str(contact.id),
        "customer_id": str(customer.id),
        "until": ((now or utcnow()) + VIEW_AS_LIFETIME).timestamp(),
    }


def is_for(choice: dict | None, tenant) -> bool:
    """Whether the session's `choice` is one for this bakery (another bakery's is ignored)."""
    return bool(choice) and choice.get("tenant_id") == str(tenant.id)


def has_lapsed(choice: dict, *, now: datetime | None = None) -> bool:
    """Whether the look is over: it lasts `VIEW_AS_LIFETIME` from when it started."""
    return choice.get("until", 0) < (now or utcnow()).timestamp()


def contact_id(choice: dict) -> uuid.UUID | None:
    """The id of the contact being viewed as, or None when the record is damaged."""
    try:
        return uuid.UUID(choice["contact_id"])
    except (ValueError, KeyError):
        return None
