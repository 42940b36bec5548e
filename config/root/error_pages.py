"""Error pages that keep the visitor where they were: the bakery's header, the signed-in navigation
and a way home.

An error can come before a blueprint ran (a URL no route matches has no bakery resolved yet) or in
the middle of one (a CSRF failure happens before the portal knows its buyer). `render_error`
finds the area from the path, resolves the bakery and who is signed in the way that area's own
pages do, and renders the error inside that area's layout.
"""

from __future__ import annotations

from flask import g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user

from config.auth import enter_realm
from config.extensions import db
from tenants.customers.models import Contact
from tenants.plans import has_feature
from tenants.scoping import bind_tenant
from tenants.web import tenant_by_slug

# URL prefix -> (area, the realm its cookies belong to, the layout its pages extend)
_AREAS = {
    "wholesale": ("portal", "buyer", "portal/base.html"),
    "admin": ("backoffice", "staff", "backoffice/base.html"),
    "platform": ("platform", "operator", "platform/base.html"),
}


def _area() -> tuple[str | None, str | None, str, str | None]:
    """(area, realm, layout, slug) of the requested path."""
    first, _, rest = request.path.lstrip("/").partition("/")
    if first not in _AREAS:
        return None, None, "layout.html", None
    area, realm, layout = _AREAS[first]
    slug = rest.partition("/")[0] if area != "platform" else None
    return area, realm, layout, slug


def _resolve_bakery(slug: str | None):
    """The bakery of the path, as its blueprint would have bound it; None when there is none
    to show (unknown, suspended)."""
    tenant = g.get("tenant")
    if tenant is None and slug:
        tenant = tenant_by_slug(slug)
        if tenant is not None and not tenant.is_suspended:
            g.tenant = tenant
            bind_tenant(db.session, tenant.id)
    return tenant if tenant is not None and not tenant.is_suspended else None


def _resolve_buyer() -> None:
    """g.contact / g.customer for the portal's layout when its own hook has not run yet."""
    if "contact" in g:
        return
    user = current_user._get_current_object()
    g.contact = user if isinstance(user, Contact) else None
    g.customer = g.contact.customer if g.contact is not None else None
    g.viewing_as = None


def _way_home(area: str | None) -> tuple[str, str]:
    """(label, url) of the area's start page for whoever is looking."""
    if area == "portal":
        if g.get("contact") is not None:
            return _("Go to your portal home"), url_for("portal.home")
        return _("Sign in to order"), url_for("portal.login")
    if area == "backoffice":
        if current_user.is_authenticated:
            return _("Go to the back office home"), url_for("backoffice.home")
        return _("Sign in"), url_for("backoffice.login")
    if area == "platform":
        return _("Go to the bakeries"), url_for("platform.bakeries")
    return _("Go to the start page"), url_for("public.index")


def render_error(code: int, message: str):
    """The error page for `code` with `message`, inside the layout of the area it happened in."""
    area, realm, layout, slug = _area()
    if area is not None:
        if g.get("auth_realm") is None:
            enter_realm(realm)
        if area != "platform" and _resolve_bakery(slug) is None:
            area, layout = None, "layout.html"
    if area == "portal":
        if not has_feature(g.tenant, "wholesale_portal"):
            # A bakery without the portal: its name in the header, no buyer navigation.
            area, layout = None, "layout.html"
        else:
            _resolve_buyer()
    refresh()  # the bakery may be known only now: speak its language
    home_label, home_url = _way_home(area)
    return (
        render_template(
            "errors/http.html",
            base_layout=layout,
            in_portal=area == "portal",
            code=code,
            message=message,
            home_label=home_label,
            home_url=home_url,
        ),
        code,
    )
