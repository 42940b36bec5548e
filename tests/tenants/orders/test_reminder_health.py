"""The reminder's health check of the coming order: each kind of problem, the cut-off in the
reader's words (in the bakery's language and zone), and the email that carries it."""

from __future__ import annotations

from datetime import date, time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from config.clock import utcnow
from tenants.orders.health import check_coming_order
from tests.jobs.helpers import run_job
from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session
from tests.support.orders import close, customer_row, mark_sold_out

from .conftest import THURSDAY, TUESDAY, place


@pytest.fixture
def ordered(app, shops):
    """Each café's last order: 10 baguettes (2.50) and 12 rolls (0.80) for Tuesday."""
    for shop in shops:
        place(app, shop, [(shop.ids["bread"], 10), (shop.ids["roll"], 12)])
    return shops


def _check(app, shop):
    with tenant_session(app, shop.bakery.id) as session:
        health = check_coming_order(
            session,
            tenant_of(session, shop.bakery),
            customer=customer_row(session, shop.ids["id"]),
            now=utcnow(),
        )
        return health.delivery_date, health.cutoff_words, health.problems


def _product(app, shop, key, **changes):
    from tenants.catalog.models import Product

    with tenant_session(app, shop.bakery.id) as session:
        product = session.scalar(select(Product).where(Product.id == shop.ids[key]))
        for name, value in changes.items():
            setattr(product, name, value)


def test_a_healthy_order_has_no_problems_and_says_when_to_order_by(app, ordered):
    north, south = ordered
    assert _check(app, north) == (TUESDAY, "Monday 14:00", [])
    with tenant_session(app, south.bakery.id) as session:
        tenant_of(session, south.bakery).locale = "de_DE"
    assert _check(app, south) == (TUESDAY, "Montag 14:00", [])


def test_items_withdrawn_out_of_season_or_sold_out_are_named(app, ordered):
    north, south = ordered
    _product(app, north, "bread", active=False)
    mark_sold_out(app, north.bakery, north.ids["roll"], TUESDAY)
    _product(app, south, "bread", available_until=date(2026, 12, 6))
    assert _check(app, north)[2] == [
        {"kind": "unavailable", "name": "Baguette"},
        {"kind": "sold_out", "name": "Roll"},
    ]
    assert _check(app, south)[2] == [{"kind": "unavailable", "name": "Baguette"}]


def test_price_changes_since_the_last_order_are_priced_by_the_engine(app, ordered):
    north, south = ordered
    _product(app, north, "bread", base_price_minor=275)
    assert _check(app, north)[2] == [
        {"kind": "price", "name": "Baguette", "was_minor": 250, "now_minor": 275}
    ]
    assert _check(app, south)[2] == []


def test_an_order_below_the_customers_minimum_is_flagged(app, ordered):
    north, south = ordered
    with tenant_session(app, north.bakery.id) as session:
        customer_row(session, north.ids["id"]).minimum_order_minor = 5_000
    assert _check(app, north)[2] == [
        {"kind": "minimum", "total_minor": 10 * 250 + 12 * 80, "minimum_minor": 5_000}
    ]
    assert _check(app, south)[2] == []


def test_a_delivery_date_on_a_closure_points_to_the_next_date_and_its_cut_off(app, ordered):
    north, south = ordered
    close(app, north.bakery, TUESDAY, TUESDAY, "Staff training")
    day, words, problems = _check(app, north)
    assert (day, words) == (THURSDAY, "Wednesday 14:00")
    assert problems == [
        {
            "kind": "closed",
            "day": "8 Dec 2026",
            "reason": "Closed: Staff training.",
            "next_day": "10 Dec 2026",
        }
    ]
    assert _check(app, south)[:2] == (TUESDAY, "Monday 14:00")


def test_the_email_carries_every_problem_in_words_and_the_cut_off(app, ordered, mailbox):
    from tenants.orders.reminders import set_reminder_time

    north, south = ordered
    _product(app, north, "bread", base_price_minor=275)
    mark_sold_out(app, north.bakery, north.ids["roll"], TUESDAY)
    with tenant_session(app, north.bakery.id) as session:
        customer_row(session, north.ids["id"]).minimum_order_minor = 5_000
        set_reminder_time(
            session,
            tenant_of(session, north.bakery),
            actor=None,
            customer=customer_row(session, north.ids["id"]),
            weekday=0,
            at=time(9, 0),
        )
    with freeze_time("2026-12-07 09:05"):
        run_job(app, "jobs.schedule.dispatch", None)
    (message,) = [m for m in mailbox.messages if m["Subject"].startswith("Time to order")]
    assert message["Subject"] == "Time to order from North Bakery: order by Monday 14:00"
    text = message.get_body(("plain",)).get_content()
    assert "Order by Monday 14:00" in text
    assert "Baguette: the price changed from €2.50 to €2.75." in text
    assert "Roll is sold out for that delivery." in text
    assert "Your usual order comes to €27.50, below your minimum order of €50.00." in text
    assert f"/wholesale/{north.bakery.slug}/reminder/" in text
    html = message.get_body(("html",)).get_content()
    assert "Roll is sold out for that delivery." in html


def test_a_german_bakerys_reminder_speaks_german_in_its_own_zone(app, ordered, mailbox):
    from tenants.orders.reminders import set_reminder_time

    _, south = ordered
    _product(app, south, "bread", base_price_minor=275)
    with tenant_session(app, south.bakery.id) as session:
        tenant = tenant_of(session, south.bakery)
        tenant.locale, tenant.timezone = "de_DE", "Europe/Berlin"
        set_reminder_time(
            session,
            tenant,
            actor=None,
            customer=customer_row(session, south.ids["id"]),
            weekday=0,
            at=time(10, 0),
        )
    with freeze_time("2026-12-07 09:05"):  # 10:05 in Berlin
        run_job(app, "jobs.schedule.dispatch", None)
    (message,) = [m for m in mailbox.messages if m["Subject"].startswith("Zeit zu bestellen")]
    # Tuesday's cut-off, Monday 14:00, is in Berlin time now that the bakery is there.
    assert message["Subject"] == "Zeit zu bestellen bei South Bakery: bestellen bis Montag 14:00"
    text = message.get_body(("plain",)).get_content()
    assert "Baguette: Der Preis hat sich von 2,50\xa0€ auf 2,75\xa0€ geändert." in text
