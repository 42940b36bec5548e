"""Emailed links people ask for by address (password reset, sign-in link), sent from a job.

The request that asks only queues this job, the same way whether or not the address has an
account, so its response time tells nothing about who signed up; the job looks the address up
and, for an account, writes the email to the outbox.
"""

from __future__ import annotations

from config.extensions import db
from config.queue import resolve

# The kinds of link a form may ask for, and the service that sends each (silent for unknowns).
LINK_SERVICES = {
    "staff_reset": "tenants.staff.services.request_password_reset",
    "buyer_reset": "tenants.customers.portal_auth.request_password_reset",
    "buyer_magic": "tenants.customers.portal_auth.request_magic_link",
}


def send_requested_link(tenant, kind: str, email: str) -> None:
    """Send the `kind` link to `email` at `tenant` if it belongs to an account there."""
    resolve(LINK_SERVICES[kind])(db.session, tenant, email=email)
