"""A bakery signs up at /signup."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from config.extensions import db
from tenants.models import Tenant
from tenants.plans import effective_plan

FORM = {
    "name": "Żabka & Söhne",
    "slug": "zabka",
    "owner_name": "Zofia Żabka",
    "email": "Zofia@Example.com",
    "password": "a long enough secret",
    "timezone": "Europe/Warsaw",
    "currency": "PLN",
    "locale": "pl_PL",
}


def _tenant_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Tenant.id)))


@freeze_time("2026-11-23 10:00:00")
def test_a_bakery_signs_up_on_a_14_day_professional_trial_and_lands_in_its_back_office(app):
    client = app.test_client()
    response = client.post("/signup", data=FORM)
    assert response.status_code == 302
    assert response.location == "/admin/zabka/"
    home = client.get("/admin/zabka/")
    assert home.status_code == 200
    assert "Żabka &amp; Söhne" in home.get_data(as_text=True)
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "zabka"))
        assert tenant.subscription_status == "trialing"
        assert tenant.trial_ends_at == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
        assert effective_plan(tenant).code == "professional"
        assert (tenant.timezone, tenant.currency, tenant.locale) == (
            "Europe/Warsaw",
            "PLN",
            "pl_PL",
        )
    after_trial = datetime(2026, 12, 7, 10, 0, tzinfo=UTC) + timedelta(seconds=1)
    with freeze_time(after_trial), app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "zabka"))
        assert effective_plan(tenant).code == "starter"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"slug": "admin"}, "slug", "reserved"),
        ({"slug": "wholesale"}, "slug", "reserved"),
        ({"slug": "Bad Slug!"}, "slug", "lowercase letters"),
        ({"slug": "-edge"}, "slug", "lowercase letters"),
        ({"password": "short"}, "password", "at least 10 characters"),
        ({"password": "password123"}, "password", "too easy to guess"),
        ({"timezone": "Mars/Olympus"}, "timezone", "Not a valid choice"),
        ({"currency": "XYZ"}, "currency", "Not a valid choice"),
        ({"email": "not-an-email"}, "email", "Invalid email"),
        ({"name": ""}, "name", "This field is required"),
    ],
)
def test_bad_sign_up_input_is_refused_next_to_the_field_and_writes_nothing(
    app, changes, field, message
):
    before = _tenant_count(app)
    response = app.test_client().post("/signup", data={**FORM, **changes})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    error_at = html.index(f'id="{field}-error"')
    assert message in html[error_at : error_at + 300]
    assert _tenant_count(app) == before


def test_a_taken_slug_is_refused_and_the_first_bakery_is_untouched(app, two_bakeries):
    north, _ = two_bakeries
    response = app.test_client().post("/signup", data={**FORM, "slug": north.slug})
    assert response.status_code == 422
    assert "This address is taken" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(Tenant.id)).where(Tenant.slug == north.slug)) == 1
        )


def test_sign_up_without_a_csrf_token_is_refused(app):
    app.config["WTF_CSRF_ENABLED"] = True
    before = _tenant_count(app)
    response = app.test_client().post("/signup", data=FORM)
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    assert _tenant_count(app) == before


def test_sign_up_with_the_forms_csrf_token_is_accepted(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/signup").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/signup", data={**FORM, "csrf_token": token})
    assert response.status_code == 302
