"""The buyer's standing orders in the portal, and the preview email's password-free skip link.

Two bakeries with the same café, products and a weekly Tuesday standing order each (Tuesday and
Thursday deliveries closing 14:00 London the day before; frozen Monday 7 Dec 2026 09:00 UTC).
"""

from __future__ import annotations

from datetime import date, time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from config.clock import utcnow
from tests.support.catalog import tenant_of
from tests.support.factories import (
    add_contact,
    link_in,
    make_customer,
    sign_in_buyer,
    tenant_session,
)
from tests.support.html import page_text
from tests.support.orders import make_cafe, set_days
from tests.support.standing import make_standing, occurrence_rows

TUE = date(2026, 12, 8)


@pytest.fixture
def cafes(app, two_bakeries):
    with freeze_time("2026-12-07 09:00"):
        north, south = two_bakeries
        found = []
        for bakery in (north, south):
            set_days(app, bakery, {1: (1, time(14)), 3: (1, time(14))})
            ids = make_cafe(app, bakery)
            so = make_standing(app, bakery, ids, starts_on=TUE, now=utcnow())
            found.append((bakery, ids, so))
        yield found


def _previews(app, bakery):
    from tenants.orders.standing_generate import send_previews

    with tenant_session(app, bakery.id) as session:
        return send_previews(session, tenant_of(session, bakery), now=utcnow())


def _status(app, bakery):
    with tenant_session(app, bakery.id) as session:
        return [(r.delivery_date, r.status, r.skipped_by_name) for r in occurrence_rows(session)]


def test_the_preview_link_asks_on_get_skips_on_post_once_and_only_here(app, cafes, mailbox):
    (north, _ids, _so), (south, _south_ids, _south_so) = cafes
    with freeze_time("2026-12-07 09:00"):
        assert _previews(app, north) == 1
        assert _previews(app, north) == 0  # once per occurrence
        message = mailbox.messages[-1]
        assert "buyer@example.com" in message["To"]
        assert "List-Unsubscribe" in message  # a reminder: the preferences link opts out
        path = link_in(message, "/standing/skip/")
        client = app.test_client()

        page = client.get(path)
        assert page.status_code == 200
        assert "Skip Tuesday 8 Dec?" in page_text(page)
        assert _status(app, north) == [(TUE, "scheduled", "")]  # GET changed nothing

        foreign = client.post(path.replace(north.slug, south.slug, 1))
        assert foreign.status_code == 404
        assert "not valid" in page_text(foreign)

        done = client.post(path)
        assert done.status_code == 200
        assert "Tuesday 8 Dec is skipped" in page_text(done)
        assert _status(app, north) == [(TUE, "skipped", "Alex Buyer (email link)")]

        again = client.post(path)
        assert again.status_code == 200
        assert "already skipped" in page_text(again)
    assert [r[1] for r in _status(app, south)] == []  # the other bakery's week is untouched


def test_an_expired_preview_link_says_so_and_skips_nothing(app, cafes, mailbox):
    (north, _ids, _so), _ = cafes
    with freeze_time("2026-12-07 09:00"):
        _previews(app, north)
        path = link_in(mailbox.messages[-1], "/standing/skip/")
    with freeze_time("2026-12-07 14:00"):
        client = app.test_client()
        assert "expired" in page_text(client.get(path))
        answer = client.post(path)
        assert answer.status_code == 410
        assert "expired" in page_text(answer)
    assert _status(app, north) == [(TUE, "scheduled", "")]


def test_the_portal_lists_six_weeks_and_a_buyer_skips_and_changes_a_week(app, cafes):
    (north, ids, so), _ = cafes
    with freeze_time("2026-12-07 09:00"):
        client = app.test_client()
        sign_in_buyer(client, north, "buyer@example.com")
        page = client.get(f"/wholesale/{north.slug}/standing")
        assert page.status_code == 200
        text = page_text(page)
        assert text.count("Scheduled") == 6
        assert "Tuesday 12 Jan" in text and "Tuesday 19 Jan" not in text
        skip = client.post(f"/wholesale/{north.slug}/standing/{so}/weeks/2026-12-15/skip")
        assert skip.status_code == 302
        week = client.post(
            f"/wholesale/{north.slug}/standing/{so}/weeks/2026-12-22",
            data={f"qty-{ids['bread']}": "4"},
        )
        assert week.status_code == 302
        assert _status(app, north) == [
            (date(2026, 12, 15), "skipped", "Alex Buyer"),
            (date(2026, 12, 22), "scheduled", ""),
        ]
        text = page_text(client.get(f"/wholesale/{north.slug}/standing/{so}"))
        assert "Skipped" in text and "changed this week" in text


def test_a_buyer_sets_up_a_standing_order_and_errors_stay_by_their_field(app, cafes):
    from tenants.orders.standing_models import StandingOrder

    (north, ids, _so), _ = cafes
    with freeze_time("2026-12-07 09:00"):
        client = app.test_client()
        sign_in_buyer(client, north, "buyer@example.com")
        data = {
            "location_id": str(ids["locations"]["Harbour"]),
            "starts_on": "2026-12-09",  # a Wednesday: no deliveries
            "every_weeks": "2",
            f"qty-{ids['bread']}": "5",
        }
        bad = client.post(f"/wholesale/{north.slug}/standing/new", data=data)
        assert bad.status_code == 422
        assert "No deliveries on Wednesdays" in page_text(bad)
        data["starts_on"] = "2026-12-10"
        good = client.post(f"/wholesale/{north.slug}/standing/new", data=data)
        assert good.status_code == 302
        with tenant_session(app, north.id) as s:
            made = s.scalars(select(StandingOrder).where(StandingOrder.weekday == 3)).all()
            assert [(m.every_weeks, m.created_by_name) for m in made] == [(2, "Alex Buyer")]
            assert made[0].placed_by_contact_id == ids["contact"]


def test_other_customers_and_other_locations_standing_orders_answer_404(app, cafes):
    (north, ids, so), (south, _south_ids, south_so) = cafes
    with freeze_time("2026-12-07 09:00"):
        other = make_customer(app, north, "Other Café")
        other_so = make_standing(app, north, {**ids, **other}, starts_on=TUE, now=utcnow())
        harbour_so = make_standing(app, north, ids, starts_on=TUE, location="Harbour", now=utcnow())
        add_contact(
            app,
            north,
            ids["id"],
            email="main@example.com",
            access_level="location",
            location_id=ids["locations"]["Main Street"],
            grants=("view_orders", "create_orders"),
        )
        client = app.test_client()
        sign_in_buyer(client, north, "buyer@example.com")
        base = f"/wholesale/{north.slug}/standing"
        assert client.get(f"{base}/{so}").status_code == 200
        assert client.get(f"{base}/{other_so}").status_code == 404
        assert client.get(f"{base}/{south_so}").status_code == 404
        assert client.post(f"{base}/{other_so}/weeks/2026-12-15/skip").status_code == 404
        located = app.test_client()
        sign_in_buyer(located, north, "main@example.com")
        assert located.get(f"{base}/{so}").status_code == 200
        assert located.get(f"{base}/{harbour_so}").status_code == 404
        assert located.post(f"{base}/{harbour_so}/weeks/2026-12-15/skip").status_code == 404
        assert "Harbour" not in page_text(located.get(f"{base}/new"))


def test_without_the_customer_setting_the_pages_are_not_there(app, cafes):
    from tests.support.standing import allow_standing

    (north, ids, so), _ = cafes
    allow_standing(app, north, ids["id"], False)
    with freeze_time("2026-12-07 09:00"):
        client = app.test_client()
        sign_in_buyer(client, north, "buyer@example.com")
        assert client.get(f"/wholesale/{north.slug}/standing").status_code == 404
        assert "Standing orders" not in page_text(client.get(f"/wholesale/{north.slug}/orders"))


def test_a_german_bakerys_preview_and_skip_page_speak_german(app, cafes, mailbox):
    (north, _ids, _so), _ = cafes
    with tenant_session(app, north.id) as session:
        tenant_of(session, north).locale = "de_DE"
    with freeze_time("2026-12-07 09:00"):
        _previews(app, north)
        message = mailbox.messages[-1]
        assert "Ihr Dauerauftrag für Dienstag" in message["Subject"]
        body = message.get_body(("plain",)).get_content()
        assert "Diese Lieferung aussetzen:" in body
        page = app.test_client().get(link_in(message, "/standing/skip/"))
        text = page_text(page)
        assert "Dienstag" in text and "aussetzen?" in text
