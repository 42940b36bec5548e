"""Build bakeries and their people in committed (test-transaction) state, returning plain ids.

Each helper opens its own app context, so its session is bound to one tenant and then thrown
away, exactly as a request's would be.
"""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import select

from config.extensions import db

PASSWORD = "correct-horse-battery"


@dataclass
class Bakery:
    id: uuid.UUID
    slug: str
    owner_email: str
    owner_id: uuid.UUID
    extra: dict = field(default_factory=dict)


@contextmanager
def tenant_session(app, tenant_id):
    """A session bound to `tenant_id` in a fresh app context; commits on success."""
    from tenants.scoping import bind_tenant

    with app.app_context():
        bind_tenant(db.session, tenant_id)
        yield db.session
        db.session.commit()


@contextmanager
def platform_session(app):
    """A session bound to no tenant (platform tables only); commits on success."""
    with app.app_context():
        yield db.session
        db.session.commit()


def make_bakery(
    app,
    slug: str,
    *,
    plan: str = "professional",
    status: str = "active",
    name: str | None = None,
    owner_email: str = "owner@example.com",
) -> Bakery:
    """A bakery with an active owner. Owners of different test bakeries share an email on
    purpose: identities are per bakery."""
    from tenants.models import Plan
    from tenants.signup import sign_up_bakery

    with app.app_context():
        tenant, owner = sign_up_bakery(
            db.session,
            name=name or slug.replace("-", " ").title(),
            slug=slug,
            owner_name="Owner " + slug,
            email=owner_email,
            password=PASSWORD,
            timezone="Europe/London",
            currency="EUR",
            locale="en_GB",
        )
        chosen = db.session.scalar(select(Plan).where(Plan.code == plan))
        tenant.plan_id, tenant.plan = chosen.id, chosen
        tenant.subscription_status = status
        db.session.commit()
        return Bakery(tenant.id, tenant.slug, owner.email, owner.id)


def add_staff(app, bakery: Bakery, *, email: str, role: str, name: str = "Staff Member"):
    """An active staff user with PASSWORD; returns its id."""
    from tenants.passwords import hash_password
    from tenants.staff.models import StaffUser

    with tenant_session(app, bakery.id) as session:
        user = StaffUser(
            tenant_id=bakery.id,
            email=email,
            name=name,
            role=role,
            status="active",
            password_hash=hash_password(PASSWORD),
        )
        session.add(user)
        session.flush()
        return user.id


def sign_in_staff(client, bakery: Bakery, email: str | None = None, password: str = PASSWORD):
    response = client.post(
        f"/admin/{bakery.slug}/login",
        data={"email": email or bakery.owner_email, "password": password},
    )
    assert response.status_code == 302, response.data[:500]
    return response


def make_operator(app, email="ops@platform.example", password=PASSWORD):
    from tenants.operators import create_operator

    with platform_session(app) as session:
        return create_operator(session, email=email, name="Ops", password=password).id


def sign_in_operator(client, email="ops@platform.example", password=PASSWORD):
    response = client.post("/platform/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.data[:500]
    return response


def link_in(message, prefix: str) -> str:
    """The first link in an email's text part that contains `prefix`; returns its path."""
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(/\S*" + re.escape(prefix) + r"\S*)", text)
    assert match, f"no link with {prefix!r} in:\n{text}"
    return match.group(1)
