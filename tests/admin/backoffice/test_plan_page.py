"""The Plan page makes the upgrade prompt a real action: tiers compared, "Request upgrade"
recorded in the audit log and mailed to the operators through the outbox."""

from sqlalchemy import select

from config.extensions import db
from tenants.audit import AuditEntry
from tenants.outbox import OutboundEmail
from tests.support.factories import (
    add_staff,
    make_bakery,
    make_customer,
    make_operator,
    sign_in_staff,
    tenant_session,
)
from tests.support.html import page_text


def test_a_starter_bakery_compares_tiers_and_requests_an_upgrade_the_operators_hear_of(
    app, client, two_bakeries
):
    north, south = two_bakeries
    starter = make_bakery(app, "little-crumb", plan="starter", name="Little Crumb")
    make_operator(app)
    sign_in_staff(client, starter)
    home = client.get(f"/admin/{starter.slug}/").get_data(as_text=True)
    assert f'href="/admin/{starter.slug}/plan#tier-professional">Compare plans and upgrade' in home
    assert "Up to 25 customers" in home  # "Included in Starter" lists what it includes
    page = client.get(f"/admin/{starter.slug}/plan")
    text = page_text(page)
    assert "Your plan: Starter" in text and "Wholesale portal for customers" in text
    assert "Request upgrade to Professional" in text and "Request upgrade to Starter" not in text
    with app.app_context():
        from tenants.models import Plan

        professional = db.session.scalar(select(Plan.id).where(Plan.code == "professional"))
    done = client.post(
        f"/admin/{starter.slug}/plan/request",
        data={"plan_id": str(professional)},
        follow_redirects=True,
    )
    assert "We asked the platform team to move Little Crumb to Professional" in page_text(done)
    with app.app_context():
        [entry] = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "tenant.upgrade_request")
        ).all()
        assert (entry.tenant_id, entry.details["from"], entry.details["to"]) == (
            starter.id,
            "starter",
            "professional",
        )
    with tenant_session(app, starter.id) as session:
        [mail] = session.scalars(select(OutboundEmail)).all()
        assert mail.to_email == "ops@platform.example"
        assert mail.context["headline"] == "Little Crumb asks to move to Professional"
    for other in (north, south):
        with tenant_session(app, other.id) as session:
            assert session.scalar(select(OutboundEmail.id)) is None


def test_only_people_with_the_settings_permission_may_request_a_tier(app, client, two_bakeries):
    north, _ = two_bakeries
    add_staff(app, north, email="sales@north.example", role="sales")
    sign_in_staff(client, north, "sales@north.example")
    page = page_text(client.get(f"/admin/{north.slug}/plan"))
    assert "Ask your bakery's owner or a manager to request it." in page
    assert (
        client.post(f"/admin/{north.slug}/plan/request", data={"plan_id": "x"}).status_code == 403
    )


def test_the_disabled_portal_control_says_why_and_where_to_upgrade(app, client):
    starter = make_bakery(app, "little-crumb", plan="starter", name="Little Crumb")
    customer = make_customer(app, starter, portal=False)
    sign_in_staff(client, starter)
    page = client.get(f"/admin/{starter.slug}/customers/{customer['id']}").get_data(True)
    assert '<button type="button" disabled aria-describedby="portal-why">' in page
    assert "Not available on your Starter plan" in page
    assert f'href="/admin/{starter.slug}/plan#tier-professional"' in page
