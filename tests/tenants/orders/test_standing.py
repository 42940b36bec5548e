"""Standing orders: the schedule, one-week changes, pauses, closures, end dates, every N weeks,
the projection the production sheet reads, and the generator placing each occurrence once.

Two bakeries with colliding data (the `shops` fixture: Tuesday/Thursday delivery closing at
14:00 London the day before, frozen Monday 7 Dec 2026 09:00 UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from config.clock import utcnow
from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session
from tests.support.orders import close, customer_row
from tests.support.standing import make_standing, occurrence_rows, standing_row

TUE = date(2026, 12, 8)
THU = date(2026, 12, 10)
TUE2 = date(2026, 12, 15)
TUE3 = date(2026, 12, 22)
CUTOFF = "2026-12-07 14:00:00"  # Monday 14:00 London (UTC in winter)


def _projected(app, shop, day):
    from tenants.orders.standing import projected_lines

    with tenant_session(app, shop.bakery.id) as session:
        return projected_lines(session, tenant_of(session, shop.bakery), day)


def _generate(app, shop):
    from tenants.orders.standing_generate import generate_due

    with tenant_session(app, shop.bakery.id) as session:
        result = generate_due(session, tenant_of(session, shop.bakery), now=utcnow())
        return len(result.placed), len(result.failed)


def _orders(app, shop):
    from tenants.orders.models import Order, OrderLine

    with tenant_session(app, shop.bakery.id) as session:
        rows = session.scalars(select(Order).order_by(Order.number)).all()
        return [
            (
                o.delivery_date,
                o.source,
                sorted(
                    (line.product_name, line.quantity)
                    for line in session.scalars(select(OrderLine).where(OrderLine.order_id == o.id))
                ),
            )
            for o in rows
        ]


def _week(app, shop, so_id, action, day, **kwargs):
    from tenants.orders import standing_weeks

    with tenant_session(app, shop.bakery.id) as session:
        return getattr(standing_weeks, action)(
            session,
            tenant_of(session, shop.bakery),
            actor=None,
            customer=customer_row(session, shop.ids["id"]),
            standing_order=standing_row(session, so_id),
            now=utcnow(),
            **({"nominal": day} if day else {}),
            **kwargs,
        )


@pytest.fixture
def standing(app, shops):
    """A weekly Tuesday standing order in each bakery (10 baguettes, 12 rolls)."""
    return [make_standing(app, s.bakery, s.ids, starts_on=TUE, now=utcnow()) for s in shops]


def test_projected_lines_are_the_template_for_that_date_and_this_bakery_only(app, shops, standing):
    north, south = shops
    lines = _projected(app, north, TUE)
    assert sorted((line.product_id, line.quantity) for line in lines) == sorted(
        [(north.ids["bread"], 10), (north.ids["roll"], 12)]
    )
    assert {line.customer_id for line in lines} == {north.ids["id"]}
    assert {line.location_id for line in lines} == {north.main}
    assert {line.standing_order_id for line in lines} == {standing[0]}
    assert _projected(app, north, THU) == []


def test_skip_and_one_week_change_shape_the_projection(app, shops, standing):
    north, south = shops
    assert _week(app, north, standing[0], "skip_week", TUE2) is True
    assert _week(app, north, standing[0], "skip_week", TUE2) is False  # already skipped
    _week(app, north, standing[0], "set_week_lines", TUE3, lines=[(north.ids["bread"], 4)])
    assert _projected(app, north, TUE2) == []
    assert [(x.product_id, x.quantity) for x in _projected(app, north, TUE3)] == [
        (north.ids["bread"], 4)
    ]
    # The other bakery's same-dated occurrences are untouched.
    assert len(_projected(app, south, TUE2)) == 2
    assert len(_projected(app, south, TUE3)) == 2
    _week(app, north, standing[0], "restore_week", TUE2)
    assert len(_projected(app, north, TUE2)) == 2


def test_a_pause_leaves_out_the_weeks_it_covers(app, shops, standing):
    north, _ = shops
    _week(app, north, standing[0], "pause", None, first_day=TUE2, last_day=TUE3)
    assert _projected(app, north, TUE2) == [] and _projected(app, north, TUE3) == []
    assert len(_projected(app, north, date(2026, 12, 29))) == 2


def test_the_generator_places_at_the_cutoff_once_however_often_it_runs(app, shops, standing):
    north, south = shops
    assert _generate(app, north) == (0, 0)  # before the cut-off: nothing yet
    with freeze_time(CUTOFF):
        assert _generate(app, north) == (1, 0)
        assert _generate(app, north) == (0, 0)
    with freeze_time("2026-12-07 15:00"):
        assert _generate(app, north) == (0, 0)
    orders = _orders(app, north)
    assert orders == [(TUE, "standing_order", [("Baguette", 10), ("Roll", 12)])]
    assert _orders(app, south) == []
    assert _projected(app, north, TUE) == []  # a placed occurrence is no longer projected
    with tenant_session(app, north.bakery.id) as session:
        rows = occurrence_rows(session)
        assert [(r.delivery_date, r.status) for r in rows] == [(TUE, "generated")]


def test_a_skipped_week_is_not_placed_and_after_the_cutoff_cannot_be_skipped(app, shops, standing):
    from tenants.orders.standing_weeks import OccurrenceClosed

    north, _ = shops
    _week(app, north, standing[0], "skip_week", TUE)
    with freeze_time(CUTOFF):
        assert _generate(app, north) == (0, 0)
        with pytest.raises(OccurrenceClosed):
            _week(app, north, standing[0], "restore_week", TUE)
    with freeze_time("2026-12-14 14:00"):
        with pytest.raises(OccurrenceClosed):
            _week(app, north, standing[0], "skip_week", TUE2)
        assert _generate(app, north) == (1, 0)
    assert [o[0] for o in _orders(app, north)] == [TUE2]


def test_a_one_week_change_is_what_is_placed_that_week_only(app, shops, standing):
    north, _ = shops
    _week(app, north, standing[0], "set_week_lines", TUE, lines=[(north.ids["bread"], 3)])
    with freeze_time(CUTOFF):
        _generate(app, north)
    with freeze_time("2026-12-14 14:00"):
        _generate(app, north)
    assert [o[2] for o in _orders(app, north)] == [
        [("Baguette", 3)],
        [("Baguette", 10), ("Roll", 12)],
    ]


def test_a_closure_moves_the_delivery_to_the_previous_delivery_day(app, shops, standing):
    north, south = shops
    close(app, north.bakery, TUE2, TUE2, "Staff party")
    assert _projected(app, north, TUE2) == []
    assert len(_projected(app, north, THU)) == 2  # moved to Thursday 10th
    assert len(_projected(app, south, TUE2)) == 2
    with freeze_time(CUTOFF):
        assert _generate(app, north) == (1, 0)  # Tuesday 8th as usual
    with freeze_time("2026-12-09 14:00"):  # Thursday's cut-off
        assert _generate(app, north) == (1, 0)
    assert [o[0] for o in _orders(app, north)] == [TUE, THU]


def test_a_closure_skips_the_delivery_when_the_bakery_chose_so(app, shops, standing):
    from tenants.orders.standing_settings import save_settings

    north, _ = shops
    close(app, north.bakery, TUE2, TUE2, "Staff party")
    with tenant_session(app, north.bakery.id) as session:
        save_settings(
            session,
            tenant_of(session, north.bakery),
            actor=None,
            closure_policy="skip",
            preview_days=2,
        )
    assert _projected(app, north, TUE2) == [] and _projected(app, north, THU) == []
    with freeze_time(CUTOFF):
        assert _generate(app, north) == (1, 0)
    with freeze_time("2026-12-14 14:00"):
        assert _generate(app, north) == (0, 0)
    assert [o[0] for o in _orders(app, north)] == [TUE]


def test_an_end_date_stops_the_occurrences(app, shops):
    north, _ = shops
    so = make_standing(app, north.bakery, north.ids, starts_on=TUE, ends_on=TUE2, now=utcnow())
    assert len(_projected(app, north, TUE2)) == 2
    assert _projected(app, north, TUE3) == []
    _ = so


def test_ending_keeps_an_occurrence_past_its_cutoff(app, shops, standing):
    from tenants.orders.standing_edit import end_standing_order

    north, _ = shops
    with freeze_time("2026-12-07 14:30"):
        with tenant_session(app, north.bakery.id) as session:
            ends = end_standing_order(
                session,
                tenant_of(session, north.bakery),
                actor=None,
                customer=customer_row(session, north.ids["id"]),
                standing_order=standing_row(session, standing[0]),
                now=utcnow(),
            )
        assert ends == TUE
        assert _generate(app, north) == (1, 0)
    assert _projected(app, north, TUE2) == []


def test_every_two_weeks(app, shops):
    north, _ = shops
    make_standing(app, north.bakery, north.ids, starts_on=TUE, every_weeks=2, now=utcnow())
    assert [bool(_projected(app, north, d)) for d in (TUE, TUE2, TUE3)] == [True, False, True]


def test_the_cutoff_follows_the_bakerys_clock_across_the_dst_change(app, shops):
    # London springs forward on Sunday 28 March 2027: Monday 29th's 14:00 is 13:00 UTC.
    north, _ = shops
    make_standing(app, north.bakery, north.ids, starts_on=date(2027, 3, 30), now=utcnow())
    with freeze_time(datetime(2027, 3, 29, 12, 59, tzinfo=UTC)):
        assert _generate(app, north) == (0, 0)
    with freeze_time(datetime(2027, 3, 29, 13, 0, tzinfo=UTC)):
        assert _generate(app, north) == (1, 0)


def test_problems_are_reported_on_the_order_and_to_the_buyer(app, shops, standing):
    from tenants.catalog.models import Product
    from tenants.orders.models import OrderEvent
    from tenants.outbox import OutboundEmail

    north, _ = shops
    with tenant_session(app, north.bakery.id) as session:
        roll = session.scalar(select(Product).where(Product.id == north.ids["roll"]))
        roll.active = False
        bread = session.scalar(select(Product).where(Product.id == north.ids["bread"]))
        bread.base_price_minor = 260
        customer_row(session, north.ids["id"]).minimum_order_minor = 5000
    with freeze_time(CUTOFF):
        assert _generate(app, north) == (1, 0)
    assert _orders(app, north)[0][2] == [("Baguette", 10)]
    with tenant_session(app, north.bakery.id) as session:
        notes = [
            e.note for e in session.scalars(select(OrderEvent).where(OrderEvent.kind == "note"))
        ]
        mails = session.scalars(
            select(OutboundEmail).where(OutboundEmail.template == "standing_order_placed")
        ).all()
        assert len(notes) == 1
        assert "Roll: no longer available to you, left out." in notes[0]
        assert "Baguette: price changed from" in notes[0]
        assert "Below the minimum order" in notes[0]
        assert [m.to_email for m in mails] == ["buyer@example.com"]
        kinds = {p["kind"] for p in mails[0].context["problems"]}
        assert kinds == {"unavailable", "price", "minimum"}
        assert mails[0].context["placed"] is True


def test_an_occurrence_with_nothing_available_needs_attention(app, shops, standing):
    from tenants.catalog.models import Product
    from tenants.orders.standing_generate import needs_attention

    north, south = shops
    with tenant_session(app, north.bakery.id) as session:
        for product in session.scalars(select(Product)):
            product.active = False
    with freeze_time(CUTOFF):
        assert _generate(app, north) == (0, 1)
        assert _generate(app, north) == (0, 0)
    assert _orders(app, north) == []
    with tenant_session(app, north.bakery.id) as session:
        items = needs_attention(session)
        assert [(occ.delivery_date, occ.status) for occ, _so in items] == [(TUE, "failed")]
        assert items[0][0].failure == "Nothing on it could be placed."
    with tenant_session(app, south.bakery.id) as session:
        assert needs_attention(session) == []


def test_a_standing_order_needs_the_customer_setting_and_a_delivery_weekday(app, shops):
    from tenants.errors import PermissionDenied, ValidationFailed
    from tenants.orders.standing_edit import create_standing_order
    from tests.support.standing import allow_standing

    north, _ = shops
    allow_standing(app, north.bakery, north.ids["id"], False)
    with tenant_session(app, north.bakery.id) as session:
        args = dict(
            actor=None,
            customer=customer_row(session, north.ids["id"]),
            location_id=north.main,
            lines=[(north.ids["bread"], 1)],
            now=utcnow(),
        )
        tenant = tenant_of(session, north.bakery)
        with pytest.raises(PermissionDenied):
            create_standing_order(session, tenant, starts_on=TUE, **args)
        customer_row(session, north.ids["id"]).standing_orders_allowed = True
        with pytest.raises(ValidationFailed, match="No deliveries on Wednesdays"):
            create_standing_order(session, tenant, starts_on=date(2026, 12, 9), **args)
