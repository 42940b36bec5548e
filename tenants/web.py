"""Edge helpers the bakery-scoped blueprints share: resolve the slug, bind the session, gate.

These run in views only; services receive the tenant they produce as an argument.
"""

from __future__ import annotations

from flask import abort, g
from sqlalchemy import select

from config.extensions import db
from tenants.errors import TenantSuspended
from tenants.models import Tenant
from tenants.scoping import bind_tenant, find_bakery
from tenants.slugs import SLUG_RE


def tenant_by_slug(slug: str) -> Tenant | None:
    """The bakery with `slug`, or None (without a query when it can't be a slug at all)."""
    if not SLUG_RE.match(slug or ""):
        return None
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def load_request_tenant(slug: str) -> Tenant:
    """Resolve the URL's bakery, bind this request's session to it, refuse suspended ones.

    On PostgreSQL the look-up also sets the transaction's row-level security tenant (one round
    trip, not two)."""
    tenant = None
    if SLUG_RE.match(slug or ""):
        # The request is about to be bound to this bakery: the look-up sets its row-level
        # security tenant too (tenant_by_slug, for pages that only name a bakery, does not).
        by_slug = select(Tenant).where(Tenant.slug == slug)
        tenant = find_bakery(db.session, by_slug, Tenant.id)
    if tenant is None:
        abort(404)
    g.tenant = tenant
    bind_tenant(db.session, tenant.id)
    if tenant.is_suspended:
        raise TenantSuspended("This bakery is suspended.")
    return tenant
