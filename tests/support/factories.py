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
            email_verified=True,
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


def add_outbound_email(
    app,
    bakery: Bakery,
    *,
    status: str = "pending",
    to_email="buyer@example.com",
    attempts: int = 0,
    **fields,
):
    """An outbox row written directly (no job queued); returns its id."""
    from config.clock import utcnow
    from tenants.outbox import OutboundEmail

    with tenant_session(app, bakery.id) as session:
        fields.setdefault("next_attempt_at", utcnow())
        fields.setdefault("context", {"name": "Sam", "inviter": "Owner", "role": "Sales"})
        row = OutboundEmail(
            tenant_id=bakery.id,
            to_email=to_email,
            template="staff_invite",
            status=status,
            attempts=attempts,
            **fields,
        )
        session.add(row)
        session.flush()
        return row.id


def make_customer(
    app,
    bakery: Bakery,
    name: str = "Café Aurora",
    *,
    portal: bool = True,
    locations: tuple[str, ...] = ("Main Street", "Harbour"),
    **fields,
) -> dict:
    """A customer of `bakery` with delivery locations; returns {"id", "locations": {name: id}}."""
    from tenants.customers.models import Customer, DeliveryLocation

    with tenant_session(app, bakery.id) as session:
        customer = Customer(
            tenant_id=bakery.id, business_name=name, portal_enabled=portal, **fields
        )
        session.add(customer)
        session.flush()
        ids = {}
        for loc_name in locations:
            loc = DeliveryLocation(
                tenant_id=bakery.id, customer_id=customer.id, name=loc_name, address=f"1 {loc_name}"
            )
            session.add(loc)
            session.flush()
            ids[loc_name] = loc.id
        return {"id": customer.id, "locations": ids}


def add_contact(
    app,
    bakery: Bakery,
    customer_id,
    *,
    email: str,
    status: str = "active",
    password: str | None = PASSWORD,
    is_owner: bool = False,
    access_level: str = "organization",
    location_id=None,
    grants: tuple[str, ...] = ("view_orders", "create_orders"),
    first_name: str = "Alex",
    must_change_password: bool = False,
):
    """A contact of a customer (active with PASSWORD by default); returns its id."""
    from tenants.customers.models import Contact
    from tenants.customers.permissions import GRANTABLE
    from tenants.passwords import hash_password

    with tenant_session(app, bakery.id) as session:
        contact = Contact(
            tenant_id=bakery.id,
            customer_id=customer_id,
            first_name=first_name,
            last_name="Buyer",
            email=email,
            status=status,
            is_owner=is_owner,
            access_level="organization" if is_owner else access_level,
            location_id=location_id,
            password_hash=hash_password(password) if password else None,
            must_change_password=must_change_password,
            **{f"can_{name}": is_owner or name in grants for name in GRANTABLE},
        )
        session.add(contact)
        session.flush()
        return contact.id


def sign_in_buyer(client, bakery: Bakery, email: str, password: str = PASSWORD):
    """Sign a contact in to `bakery`'s wholesale portal (asserts it worked)."""
    response = client.post(
        f"/wholesale/{bakery.slug}/login", data={"email": email, "password": password}
    )
    assert response.status_code == 302, response.data[:500]
    return response


def make_buyer(app, bakery: Bakery, email: str = "buyer@example.com", **kwargs) -> dict:
    """A portal-enabled customer with an active owner contact; returns the ids."""
    customer = make_customer(app, bakery, name=kwargs.pop("customer_name", "Café Aurora"))
    contact_id = add_contact(
        app, bakery, customer["id"], email=email, is_owner=kwargs.pop("is_owner", True), **kwargs
    )
    return {**customer, "contact_id": contact_id, "email": email}
