"""Standing orders in the back office: set one up for a customer, see it on the customer page and
the list, skip a week, the needs-attention item and its resolution, and the settings on the
calendar page. Two bakeries with the same café (frozen Monday 7 Dec 2026 09:00 UTC)."""

from __future__ import annotations

from datetime import date, time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from tests.support.catalog import tenant_of
from tests.support.factories import sign_in_staff, tenant_session
from tests.support.html import page_text
from tests.support.orders import make_cafe, set_days
from tests.support.standing import allow_standing, make_standing, occurrence_rows

TUE = date(2026, 12, 8)


@pytest.fixture
def cafes(app, two_bakeries):
    with freeze_time("2026-12-07 09:00") as clock:
        found = []
        for bakery in two_bakeries:
            set_days(app, bakery, {1: (1, time(14)), 3: (1, time(14))})
            ids = make_cafe(app, bakery)
            allow_standing(app, bakery, ids["id"])
            found.append((bakery, ids))
        yield found, clock


def _staff(app, bakery):
    client = app.test_client()
    sign_in_staff(client, bakery)
    return client


def test_staff_set_up_a_standing_order_for_a_customer_and_see_it_everywhere(app, cafes):
    from tenants.orders.standing_models import StandingOrder

    (north, ids), (south, south_ids) = cafes[0]
    client = _staff(app, north)
    base = f"/admin/{north.slug}"
    form = client.get(f"{base}/customers/{ids['id']}/standing/new")
    assert form.status_code == 200
    data = {
        "location_id": str(ids["locations"]["Main Street"]),
        "starts_on": "2026-12-08",
        "every_weeks": "1",
        "name": "Tuesday bread",
        f"qty-{ids['bread']}": "abc",
    }
    bad = client.post(f"{base}/customers/{ids['id']}/standing/new", data=data)
    assert bad.status_code == 422 and "Enter a whole number" in page_text(bad)
    data[f"qty-{ids['bread']}"] = "10"
    made = client.post(f"{base}/customers/{ids['id']}/standing/new", data=data)
    assert made.status_code == 302
    with tenant_session(app, north.id) as session:
        so = session.scalar(select(StandingOrder))
        assert (so.name, so.created_by_name, so.placed_by_contact_id) == (
            "Tuesday bread",
            "Owner north-bakery",
            None,
        )
        so_id = so.id
    detail = page_text(client.get(f"{base}/standing/{so_id}"))
    assert "10 × Baguette" in detail and detail.count("Scheduled") == 6
    assert "Tuesday bread" in page_text(client.get(f"{base}/customers/{ids['id']}"))
    assert "Tuesday bread" in page_text(client.get(f"{base}/standing"))
    south_list = page_text(_staff(app, south).get(f"/admin/{south.slug}/standing"))
    assert "Tuesday bread" not in south_list

    skip = client.post(f"{base}/standing/{so_id}/weeks/2026-12-15/skip")
    assert skip.status_code == 302
    with tenant_session(app, north.id) as session:
        assert [
            (r.delivery_date, r.status, r.skipped_by_name) for r in occurrence_rows(session)
        ] == [(date(2026, 12, 15), "skipped", "Owner north-bakery")]


def test_an_occurrence_that_cannot_be_placed_is_on_home_and_the_list_until_resolved(app, cafes):
    from config.clock import utcnow
    from tenants.catalog.models import Product
    from tenants.orders.standing_generate import generate_due

    found, clock = cafes
    (north, ids), (south, _south_ids) = found
    make_standing(app, north, ids, starts_on=TUE, now=utcnow(), name="Tuesday bread")
    with tenant_session(app, north.id) as session:
        for product in session.scalars(select(Product)):
            product.active = False
    clock.move_to("2026-12-07 14:00")
    with tenant_session(app, north.id) as session:
        generate_due(session, tenant_of(session, north), now=utcnow())
    client = _staff(app, north)
    home = page_text(client.get(f"/admin/{north.slug}/"))
    assert "Needs attention" in home and "Nothing on it could be placed." in home
    assert "Needs attention" not in page_text(_staff(app, south).get(f"/admin/{south.slug}/"))
    with tenant_session(app, north.id) as session:
        occurrence_id = occurrence_rows(session)[0].id
    listed = page_text(client.get(f"/admin/{north.slug}/standing"))
    assert "Nothing on it could be placed." in listed
    resolved = client.post(f"/admin/{north.slug}/standing/attention/{occurrence_id}/resolve")
    assert resolved.status_code == 302
    assert "Needs attention" not in page_text(client.get(f"/admin/{north.slug}/standing"))


def test_the_calendar_page_saves_the_closure_policy_and_preview_days(app, cafes):
    from tenants.orders.standing_settings import current_settings

    (north, _ids), (south, _) = cafes[0]
    client = _staff(app, north)
    page = page_text(client.get(f"/admin/{north.slug}/settings/delivery"))
    assert "Standing orders" in page
    bad = client.post(
        f"/admin/{north.slug}/settings/delivery/standing",
        data={"closure_policy": "skip", "preview_days": "9"},
    )
    assert bad.status_code == 422 and "0 to 7 days." in page_text(bad)
    good = client.post(
        f"/admin/{north.slug}/settings/delivery/standing",
        data={"closure_policy": "skip", "preview_days": "3"},
    )
    assert good.status_code == 302
    with tenant_session(app, north.id) as session:
        assert current_settings(session) == ("skip", 3)
    with tenant_session(app, south.id) as session:
        assert current_settings(session) == ("move", 2)
