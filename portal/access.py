"""Who is using the portal: a signed-in contact, or staff viewing it as one (read-only).

The buyer loader gives Flask-Login the contact for a "buyer:<tenant_id>:<contact_id>" cookie, and
only while the contact may still sign in: a cookie of another bakery, a disabled contact or an
account whose portal was switched off all load as anonymous, so access ends at the next request.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from config.auth import load_identity, register_realm
from config.extensions import db
from portal import bp
from tenants.actors import allowed
from tenants.customers import view_as
from tenants.customers.models import Contact
from tenants.customers.portal_auth import load_buyer
from tenants.customers.view_as import VIEW_AS_KEY

# Pages a contact with a temporary password may open before choosing their own.
_BEFORE_PASSWORD_CHANGE = {"portal.change_password", "portal.logout"}


def _load_buyer(rest: str, secret: str):
    tenant_id, _, contact_id = rest.partition(":")
    tenant = g.get("tenant")
    if tenant is None or str(tenant.id) != tenant_id:
        return None  # a cookie from another bakery is anonymous here
    return load_buyer(db.session, contact_id, secret)


register_realm("buyer", _load_buyer)


def _staff_viewer():
    """(staff user, contact) when a staff member of this bakery is viewing as a contact."""
    choice = session.get(VIEW_AS_KEY)
    if not view_as.is_for(choice, g.tenant):
        return None, None
    if view_as.has_lapsed(choice):
        session.pop(VIEW_AS_KEY, None)
        return None, None
    # The staff loader checks the bakery, the account's state and the password stamp.
    staff = load_identity(session.get("_user_id") or "", "staff")
    if staff is None or not allowed(staff, "customers_view"):
        return None, None
    contact_uuid = view_as.contact_id(choice)
    if contact_uuid is None:
        return None, None
    contact = db.session.scalar(select(Contact).where(Contact.id == contact_uuid))
    return (staff, contact) if contact is not None else (None, None)


@bp.before_request
def _resolve_buyer():
    g.contact, g.viewing_as = None, None
    user = current_user._get_current_object()
    if isinstance(user, Contact):
        g.contact = user
    else:
        g.viewing_as, g.contact = _staff_viewer()
    g.customer = g.contact.customer if g.contact is not None else None
    if (
        g.viewing_as is not None
        and request.method == "POST"
        and request.endpoint != ("portal.stop_viewing")
    ):
        return render_template("portal/read_only.html"), 403
    return None


def buyer_required(permission: str | None = None, *, staff_permission: str | None = None):
    """Require a signed-in contact of this bakery (holding `permission`, when given).

    Staff viewing the portal as a contact hold `customers_view`; a page that shows more than
    customer data (the catalog and its prices: `catalog_view`) names the staff permission the
    back office would ask for the same data, so view-as never shows what staff may not see.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.contact is None:
                return redirect(url_for("portal.login", next=request.full_path))
            if (
                g.viewing_as is not None
                and staff_permission
                and not g.viewing_as.can(staff_permission)
            ):
                abort(403)
            if (
                g.viewing_as is None
                and g.contact.must_change_password
                and request.endpoint not in _BEFORE_PASSWORD_CHANGE
            ):
                return redirect(url_for("portal.change_password"))
            if permission and not may(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def may(permission: str) -> bool:
    """Whether the current contact holds `permission` now (templates use it to hide buttons)."""
    return g.get("contact") is not None and allowed(g.contact, permission, on=g.customer)


@bp.app_context_processor
def _portal_helpers():
    return {"portal_may": may}
