"""The wholesale portal answers only for bakeries whose tier includes it."""

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from config.extensions import db
from tenants.models import Tenant
from tests.support.factories import make_bakery, sign_in_staff
from tests.support.html import page_text

# A stand-in for each kind of URL argument: the gate must answer before anything is looked up.
DUMMY_ARGUMENTS = {"token": "not-a-real-token", "default": "00000000-0000-4000-8000-000000000000"}


def portal_requests(app, slug):
    """(url, method) of every portal route and method, arguments filled with dummy values."""
    requests = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/wholesale/<slug>/"):
            continue
        url = rule.rule.replace("<slug>", slug)
        for name in set(rule.arguments) - {"slug"}:
            url = url.replace(f"<{name}>", DUMMY_ARGUMENTS.get(name, DUMMY_ARGUMENTS["default"]))
        requests += [(url, method) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return requests


def test_every_portal_route_of_a_starter_bakery_answers_a_branded_403(app):
    starter = make_bakery(app, "crumb-starter", plan="starter", name="Crumb & Co")
    requests = portal_requests(app, starter.slug)
    urls = {url for url, _ in requests}
    for link in ("magic", "reset", "invitation"):  # the emailed links carry a token
        assert f"/wholesale/crumb-starter/{link}/not-a-real-token" in urls
    client = app.test_client()
    for url, method in requests:
        response = client.open(url, method=method)
        assert response.status_code == 403, (method, url)
        assert "Crumb & Co's wholesale portal isn't available" in page_text(response), url


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
    assert "Compare plans and upgrade" in text and f"/admin/{starter.slug}/plan" in text
    assert f"/wholesale/{starter.slug}/login" not in text
