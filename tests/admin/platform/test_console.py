"""Operators: sign in, list bakeries with usage, change tiers, suspend, edit tiers, audit."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from config.extensions import db
from tenants.audit import AuditEntry
from tenants.models import Plan, Tenant
from tests.support.factories import (
    add_staff,
    make_bakery,
    make_operator,
    sign_in_operator,
    sign_in_staff,
)
from tests.support.html import page_text
from tests.support.queries import count_queries


def _operator_client(app):
    make_operator(app)
    client = app.test_client()
    sign_in_operator(client)
    return client


def _plan_id(app, code):
    with app.app_context():
        return db.session.scalar(select(Plan.id).where(Plan.code == code))


def _audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_the_console_needs_an_operator_and_a_staff_cookie_is_not_one(app, two_bakeries):
    north, _ = two_bakeries
    staff = app.test_client()
    sign_in_staff(staff, north)
    response = staff.get("/platform/")
    assert response.status_code == 302 and "/platform/login" in response.location


def test_operators_see_each_bakerys_tier_state_and_usage(app, two_bakeries):
    north, south = two_bakeries
    add_staff(app, north, email="s1@example.com", role="sales")
    client = _operator_client(app)
    text = page_text(client.get("/platform/"))
    assert "North Bakery" in text and "South Bakery" in text
    north_row = text[text.index("North Bakery") : text.index("South Bakery")]
    assert "Professional" in north_row and "active" in north_row
    usage = dict(re.findall(r'data-usage="(\w+)">(\d+)<', north_row))
    assert usage == {"customers": "0", "staff_users": "2", "products": "0"}
    searched = page_text(client.get("/platform/?q=south"))
    assert "South Bakery" in searched and "North Bakery" not in searched


def test_the_bakery_list_uses_the_same_number_of_queries_for_more_bakeries(app, two_bakeries):
    client = _operator_client(app)
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as few:
        assert client.get("/platform/").status_code == 200
    for i in range(5):
        make_bakery(app, f"extra-{i}")
    with count_queries(engine) as many:
        assert client.get("/platform/").status_code == 200
    assert few.count > 0
    assert many.count == few.count


def test_an_operator_moves_a_bakery_to_another_tier_and_it_is_audited(app, two_bakeries):
    north, _ = two_bakeries
    client = _operator_client(app)
    starter = str(_plan_id(app, "starter"))
    # a downgrade asks first, saying what the bakery loses, and changes nothing yet
    asked = client.post(f"/platform/bakeries/{north.id}/tier", data={"plan_id": starter})
    assert asked.status_code == 200
    assert "Move North Bakery from Professional to Starter?" in page_text(asked)
    assert "Wholesale portal for customers" in page_text(asked)
    with app.app_context():
        assert db.session.get(Tenant, north.id).plan.code == "professional"
    response = client.post(
        f"/platform/bakeries/{north.id}/tier", data={"plan_id": starter, "confirmed": "yes"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Tenant, north.id).plan.code == "starter"
    [entry] = _audit(app, "tenant.change_tier")
    assert entry.actor == "ops@platform.example"
    assert entry.details["from"] == "professional" and entry.details["to"] == "starter"
    assert "Ops changed North Bakery from Professional to Starter" in page_text(
        client.get("/platform/audit")
    )


def test_an_override_gives_a_tier_until_its_expiry(app, two_bakeries):
    north, _ = two_bakeries
    client = _operator_client(app)
    client.post(
        f"/platform/bakeries/{north.id}/override",
        data={
            "override-plan_id": str(_plan_id(app, "enterprise")),
            "override-expires_at": "2099-01-01T00:00",
        },
    )
    with app.app_context():
        tenant = db.session.get(Tenant, north.id)
        assert tenant.override_plan.code == "enterprise"
        assert tenant.override_expires_at == datetime(2099, 1, 1, tzinfo=UTC)
    assert _audit(app, "tenant.override_tier")


def test_an_override_ending_in_the_past_is_refused_and_changes_nothing(app, two_bakeries):
    north, south = two_bakeries
    client = _operator_client(app)
    refused = client.post(
        f"/platform/bakeries/{north.id}/override",
        data={
            "override-plan_id": str(_plan_id(app, "enterprise")),
            "override-expires_at": "2000-01-01T00:00",
        },
        follow_redirects=True,
    )
    assert refused.request.path == f"/platform/bakeries/{north.id}"
    assert "The override must end in the future." in page_text(refused)
    with app.app_context():
        assert db.session.get(Tenant, north.id).override_plan_id is None
        assert db.session.get(Tenant, south.id).override_plan_id is None
    assert _audit(app, "tenant.override_tier") == []


def test_a_suspended_bakery_shows_a_suspended_page_and_keeps_its_data(app, two_bakeries):
    north, south = two_bakeries
    staff = app.test_client()
    sign_in_staff(staff, north)
    client = _operator_client(app)
    client.post(f"/platform/bakeries/{north.id}/suspend", data={"reason": "Unpaid invoices"})
    for url in (
        f"/admin/{north.slug}/",
        f"/admin/{north.slug}/login",
        f"/wholesale/{north.slug}/login",
    ):
        response = staff.get(url)
        assert response.status_code == 403
        assert "is suspended" in page_text(response)
    assert staff.get(f"/wholesale/{south.slug}/login").status_code == 200
    client.post(f"/platform/bakeries/{north.id}/reactivate")
    assert staff.get(f"/admin/{north.slug}/").status_code == 200
    assert [e.details for e in _audit(app, "tenant.suspend")] == [{"reason": "Unpaid invoices"}]
    assert len(_audit(app, "tenant.reactivate")) == 1


def test_operators_create_and_edit_tiers_with_features_and_limits(app, two_bakeries):
    client = _operator_client(app)
    response = client.post(
        "/platform/tiers/new",
        data={
            "name": "Wholesale Plus",
            "code": "plus",
            "monthly_price": "79.50",
            "features": ["wholesale_portal", "catalog_export"],
            "max_customers": "40",
            "max_staff_users": "",
            "max_products": "500",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.code == "plus"))
        assert plan.monthly_price_minor == 7950
        assert plan.features == ["catalog_export", "wholesale_portal"]
        assert (plan.max_customers, plan.max_staff_users, plan.max_products) == (40, None, 500)
        plan_id = plan.id
    client.post(
        f"/platform/tiers/{plan_id}",
        data={
            "name": "Wholesale Plus",
            "code": "plus",
            "monthly_price": "89",
            "features": ["wholesale_portal"],
            "max_customers": "",
            "max_staff_users": "5",
            "max_products": "",
        },
    )
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        assert (plan.monthly_price_minor, plan.features, plan.max_customers) == (
            8900,
            ["wholesale_portal"],
            None,
        )
    [update] = _audit(app, "plan.update")
    assert update.details["before"]["monthly_price_minor"] == 7950


def test_a_tier_code_must_be_unique(app, two_bakeries):
    client = _operator_client(app)
    response = client.post(
        "/platform/tiers/new",
        data={
            "name": "Copy",
            "code": "starter",
            "monthly_price": "1",
            "features": [],
        },
    )
    assert response.status_code == 422
    assert "Another tier has this code" in page_text(response)


def test_unknown_bakery_and_tier_ids_answer_404(app, two_bakeries):
    client = _operator_client(app)
    assert client.get("/platform/bakeries/not-a-uuid").status_code == 404
    assert client.get("/platform/bakeries/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/platform/tiers/00000000-0000-0000-0000-000000000000").status_code == 404


def test_operator_sign_in_is_rate_limited(app, two_bakeries):
    make_operator(app)
    client = app.test_client()
    for _ in range(5):
        client.post("/platform/login", data={"email": "ops@platform.example", "password": "x"})
    response = client.post(
        "/platform/login",
        data={"email": "ops@platform.example", "password": "correct-horse-battery"},
    )
    assert response.status_code == 429


def test_tier_changes_reach_the_bakery_at_once(app, two_bakeries):
    _, south = two_bakeries
    client = _operator_client(app)
    client.post(
        f"/platform/bakeries/{south.id}/tier",
        data={"plan_id": str(_plan_id(app, "starter")), "confirmed": "yes"},
    )
    assert app.test_client().get(f"/wholesale/{south.slug}/login").status_code == 403


def _tier(**overrides):
    return {
        "name": "Trial Plus",
        "code": "trial-plus",
        "monthly_price": "0",
        "features": ["wholesale_portal"],
        "max_customers": "",
        "max_staff_users": "",
        "max_products": "",
        **overrides,
    }


def test_a_free_tier_is_a_price_of_zero_not_a_missing_price(app, two_bakeries):
    client = _operator_client(app)
    assert client.post("/platform/tiers/new", data=_tier()).status_code == 302
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.code == "trial-plus"))
        assert plan.monthly_price_minor == 0


def test_an_absurd_limit_is_refused_next_to_its_field_not_a_server_error(app, two_bakeries):
    client = _operator_client(app)
    response = client.post("/platform/tiers/new", data=_tier(max_customers="99999999999"))
    assert response.status_code == 422
    assert "Customers" in page_text(response) and "1000000" in page_text(response)
    with app.app_context():
        assert db.session.scalar(select(Plan).where(Plan.code == "trial-plus")) is None


def test_the_tier_service_refuses_limits_past_its_cap_whatever_the_form_says(app, two_bakeries):
    from tenants.errors import ValidationFailed
    from tenants.operators import Operator
    from tenants.platform_admin import MAX_LIMIT, save_plan

    operator_id = make_operator(app)
    with app.app_context(), pytest.raises(ValidationFailed) as refused:
        save_plan(
            db.session,
            actor=db.session.get(Operator, operator_id),
            plan=None,
            code="huge",
            name="Huge",
            monthly_price_minor=0,
            features=[],
            limits={"customers": MAX_LIMIT + 1},
        )
    assert refused.value.field == "max_customers"


def _owner_mail(app, bakery):
    from tenants.outbox import OutboundEmail
    from tests.support.factories import tenant_session

    with tenant_session(app, bakery.id) as session:
        return [
            (m.to_email, m.template, m.context["headline"])
            for m in session.scalars(select(OutboundEmail).order_by(OutboundEmail.created_at))
        ]


def test_the_owner_is_emailed_through_the_outbox_of_tier_changes_suspension_and_reactivation(
    app, two_bakeries
):
    north, south = two_bakeries
    client = _operator_client(app)
    client.post(
        f"/platform/bakeries/{north.id}/tier",
        data={"plan_id": str(_plan_id(app, "enterprise"))},  # an upgrade: no question asked
    )
    suspend_page = client.get(f"/platform/bakeries/{north.id}/suspend")
    assert "Suspend North Bakery?" in page_text(suspend_page)
    assert 'name="reason"' in suspend_page.get_data(as_text=True)
    client.post(f"/platform/bakeries/{north.id}/suspend", data={"reason": "Unpaid invoices."})
    client.post(f"/platform/bakeries/{north.id}/reactivate")
    assert _owner_mail(app, north) == [
        ("owner@example.com", "platform_notice", "North Bakery is now on the Enterprise plan"),
        ("owner@example.com", "platform_notice", "North Bakery is suspended on Bakery Wholesale"),
        ("owner@example.com", "platform_notice", "North Bakery is active again"),
    ]
    assert _owner_mail(app, south) == []


def test_the_audit_log_reads_as_sentences_links_the_bakery_and_filters(app, two_bakeries):
    north, south = two_bakeries
    client = _operator_client(app)
    enterprise = str(_plan_id(app, "enterprise"))
    client.post(f"/platform/bakeries/{north.id}/tier", data={"plan_id": enterprise})
    client.post(f"/platform/bakeries/{south.id}/suspend", data={"reason": "Fraud check."})
    page = client.get("/platform/audit").get_data(as_text=True)
    assert "Ops changed North Bakery from Professional to Enterprise" in page
    assert "Ops suspended South Bakery: Fraud check." in page
    assert f'href="/platform/bakeries/{north.id}">North Bakery</a>' in page
    only_north = page_text(client.get(f"/platform/audit?tenant_id={north.id}"))
    assert "North Bakery from Professional" in only_north and "Fraud check" not in only_north
    only_suspend = page_text(client.get("/platform/audit?action=tenant.suspend"))
    assert "Fraud check" in only_suspend and "from Professional" not in only_suspend
    later = page_text(client.get("/platform/audit?on_or_after=2999-01-01"))
    assert "Nothing recorded that matches these filters." in later
    today = datetime.now(UTC).date().isoformat()
    both = page_text(client.get(f"/platform/audit?on_or_after={today}&on_or_before={today}"))
    assert "Fraud check" in both and "from Professional" in both
    assert client.get("/platform/audit?on_or_after=not-a-date").status_code == 200
