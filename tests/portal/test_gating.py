"""The wholesale portal answers only for bakeries whose tier includes it."""

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from config.extensions import db
from tenants.models import Tenant
from tests.support.factories import make_bakery, sign_in_staff
from tests.support.html import page_text


def portal_routes(app):
    """(rule, method) of every portal route: GET where it answers GET, POST otherwise."""
    return [
        (r.rule, "GET" if "GET" in r.methods else "POST")
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/wholesale/<slug>/") and not (set(r.arguments) - {"slug"})
    ]


def test_every_portal_route_of_a_starter_bakery_answers_a_branded_403(app):
    starter = make_bakery(app, "crumb-starter", plan="starter", name="Crumb & Co")
    routes = portal_routes(app)
    assert routes
    client = app.test_client()
    for rule, method in routes:
        response = client.open(rule.replace("<slug>", starter.slug), method=method)
        assert response.status_code == 403, rule
        assert "Crumb & Co's wholesale portal isn't available" in page_text(response)


def test_a_professional_bakerys_portal_login_loads(app, two_bakeries):
    north, _ = two_bakeries
    response = app.test_client().get(f"/wholesale/{north.slug}/login")
    assert response.status_code == 200
    assert "wholesale ordering" in page_text(response)


def test_an_unknown_bakery_answers_404(client):
    assert client.get("/wholesale/no-such-bakery/login").status_code == 404
    assert client.get("/admin/no-such-bakery/login").status_code == 404


def test_the_portal_closes_when_the_trial_ends(app):
    with freeze_time("2026-11-01 09:00:00"):
        bakery = make_bakery(app, "trial-bakery", status="trialing")
        with app.app_context():
            tenant = db.session.scalar(select(Tenant).where(Tenant.id == bakery.id))
            tenant.trial_ends_at = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)
            db.session.commit()
        assert app.test_client().get("/wholesale/trial-bakery/login").status_code == 200
    with freeze_time(datetime(2026, 11, 15, 9, 0, tzinfo=UTC) + timedelta(minutes=1)):
        assert app.test_client().get("/wholesale/trial-bakery/login").status_code == 403


def test_starter_staff_see_an_upgrade_prompt_where_the_portal_would_be(app):
    starter = make_bakery(app, "crumb-prompt", plan="starter")
    client = app.test_client()
    sign_in_staff(client, starter)
    text = page_text(client.get(f"/admin/{starter.slug}/"))
    assert "Upgrade to Professional" in text
    assert f"/wholesale/{starter.slug}/login" not in text
