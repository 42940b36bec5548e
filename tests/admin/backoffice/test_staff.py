"""The team page: invitations, roles mapped to permissions, limits."""

import pytest
from sqlalchemy import select

from config.extensions import db
from tenants.models import Plan
from tenants.staff.models import StaffUser
from tenants.staff.permissions import PERMISSIONS, ROLES, role_permissions
from tests.support.factories import add_staff, sign_in_staff, tenant_session
from tests.support.html import page_text


def test_every_role_grants_only_known_permissions_and_the_owner_has_all():
    for role in ROLES:
        assert role_permissions(role) <= set(PERMISSIONS)
    assert role_permissions("owner") == set(PERMISSIONS)
    assert "staff" not in role_permissions("manager")
    assert role_permissions("production") == {"production", "orders_view", "catalog_view"}
    assert role_permissions("nonsense") == set()


@pytest.mark.parametrize(
    ("role", "settings_status", "staff_status"),
    [
        ("owner", 200, 200),
        ("manager", 200, 403),
        ("sales", 403, 403),
        ("production", 403, 403),
        ("accounts", 403, 403),
    ],
)
def test_back_office_pages_check_the_roles_permissions(
    client, app, two_bakeries, role, settings_status, staff_status
):
    north, _ = two_bakeries
    add_staff(app, north, email=f"{role}-staff@example.com", role=role)
    sign_in_staff(client, north, f"{role}-staff@example.com")
    assert client.get(f"/admin/{north.slug}/").status_code == 200
    assert client.get(f"/admin/{north.slug}/settings").status_code == settings_status
    assert client.get(f"/admin/{north.slug}/staff").status_code == staff_status


def test_the_owner_invites_staff_who_get_an_email(client, app, mailbox, two_bakeries):
    north, south = two_bakeries
    sign_in_staff(client, north)
    response = client.post(
        f"/admin/{north.slug}/staff",
        data={"name": "Bea Baker", "email": "Bea@Example.com", "role": "sales"},
    )
    assert response.status_code == 302
    with tenant_session(app, north.id) as session:
        bea = session.scalar(select(StaffUser).where(StaffUser.email == "bea@example.com"))
        assert (bea.status, bea.role, bea.password_hash) == ("invited", "sales", None)
    with tenant_session(app, south.id) as session:
        assert session.scalar(select(StaffUser).where(StaffUser.email == "bea@example.com")) is None
    [message] = mailbox.messages
    assert message["To"] == "Bea Baker <bea@example.com>"
    assert "invited you to North Bakery" in message["Subject"]


def test_inviting_past_the_staff_limit_names_the_limit(client, app, two_bakeries):
    north, _ = two_bakeries
    with app.app_context():
        db.session.scalar(select(Plan).where(Plan.code == "professional")).max_staff_users = 1
        db.session.commit()
    sign_in_staff(client, north)
    response = client.post(
        f"/admin/{north.slug}/staff",
        data={"name": "One Too Many", "email": "more@example.com", "role": "sales"},
    )
    assert response.status_code == 409
    assert "plan allows 1 staff users" in page_text(response)


def test_the_last_owner_cannot_be_demoted(client, app, two_bakeries):
    north, _ = two_bakeries
    manager_id = add_staff(app, north, email="m@example.com", role="owner")
    sign_in_staff(client, north)
    client.post(f"/admin/{north.slug}/staff/{manager_id}/role", data={"role": "sales"})
    response = client.post(
        f"/admin/{north.slug}/staff/{north.owner_id}/role", data={"role": "sales"}
    )
    assert response.status_code == 302
    with tenant_session(app, north.id) as session:
        roles = {u.email: u.role for u in session.scalars(select(StaffUser))}
    assert roles == {"owner@example.com": "owner", "m@example.com": "sales"}
    follow = client.get(f"/admin/{north.slug}/staff")
    assert "at least one active owner" in page_text(follow)


def test_a_manager_cannot_change_roles_by_posting_the_form(client, app, two_bakeries):
    north, _ = two_bakeries
    add_staff(app, north, email="mgr@example.com", role="manager")
    target = add_staff(app, north, email="t@example.com", role="sales")
    sign_in_staff(client, north, "mgr@example.com")
    response = client.post(f"/admin/{north.slug}/staff/{target}/role", data={"role": "owner"})
    assert response.status_code == 403
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(StaffUser.role).where(StaffUser.id == target)) == "sales"
