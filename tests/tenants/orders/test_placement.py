"""Placing an order: frozen prices, per-bakery numbers, one order per form, every refusal
leaving nothing written, the calendar enforced, and mail to the buyer and the bakery."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from config.extensions import db
from tenants.catalog.price_lists import BreakInput
from tenants.errors import FeatureNotAvailable, PermissionDenied, ValidationFailed
from tenants.orders.errors import DateNotOrderable, OpenOrderExists
from tests.support.catalog import add_assortment, add_price_list, add_product
from tests.support.factories import add_contact, add_staff, make_customer, tenant_session
from tests.support.orders import close
from tests.support.queries import count_queries
from tests.tenants.orders.conftest import THURSDAY, TUESDAY, place


def _orders(app, bakery):
    from tenants.orders.models import Order, OrderLine

    with tenant_session(app, bakery.id) as session:
        orders = session.scalars(select(Order).order_by(Order.number)).all()
        lines = session.scalar(select(func.count()).select_from(OrderLine))
        return [(o.number, o.status, o.total_minor) for o in orders], lines


def _lines_and_events(app, bakery, order_id):
    from tenants.orders.models import OrderLine
    from tenants.orders.queries import get_order
    from tenants.orders.timeline import order_timeline

    with tenant_session(app, bakery.id) as session:
        order = get_order(session, order_id)
        lines = session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
        events = [(e.kind, e.actor_name, e.note) for e in order_timeline(session, order)]
        session.expunge_all()  # keep the loaded values readable after the block commits
        return (
            order,
            {line.sku: line for line in lines},
            events,
        )


def test_an_order_freezes_the_engines_price_rule_and_tax_and_later_list_changes_leave_it(
    app, shops
):
    from tenants.catalog.price_lists import set_entry
    from tenants.catalog.products import get_product
    from tests.support.catalog import tenant_of

    north, _ = shops
    cafes = add_price_list(
        app,
        north.bakery,
        "Cafés",
        entries=[(north.ids["bread"], 200, None, [BreakInput(12, 180)])],
        default=True,
    )
    order = place(app, north, [(north.ids["bread"], 12), (north.ids["roll"], 6)]).order
    with tenant_session(app, north.bakery.id) as session:
        from tenants.catalog.models import PriceList

        price_list = session.scalar(select(PriceList).where(PriceList.id == cafes))
        set_entry(
            session,
            tenant_of(session, north.bakery),
            actor=None,
            price_list=price_list,
            product=get_product(session, north.ids["bread"]),
            unit_price_minor=999,
            discount_percent=None,
            breaks=[],
        )
    placed, lines, events = _lines_and_events(app, north.bakery, order.id)
    bread, roll = lines["BAG-01"], lines["ROL-01"]
    assert (bread.unit_price_minor, bread.line_total_minor) == (180, 2160)
    assert (bread.price_rule, bread.price_source, bread.price_detail) == (
        "break",
        "Cafés",
        "from 12: fixed price",
    )
    assert (bread.tax_rate, bread.tax_minor) == (7, 151)  # 7% of 21.60, half-up
    assert (roll.price_rule, roll.unit_price_minor, roll.tax_minor) == ("base", 80, 0)
    assert (placed.subtotal_minor, placed.tax_minor, placed.total_minor) == (2640, 151, 2791)
    assert (placed.source, placed.status, placed.placed_by_name) == (
        "wholesale_portal",
        "confirmed",
        "Alex Buyer",
    )
    assert events == [("placed", "Alex Buyer", "")]


def test_each_bakery_numbers_its_own_orders_from_one(app, shops):
    north, south = shops
    numbers = [
        place(app, north, delivery_date=TUESDAY).order.number,
        place(app, south, delivery_date=TUESDAY).order.number,
        place(app, north, delivery_date=THURSDAY).order.number,
    ]
    assert numbers == [1, 1, 2]


def test_the_same_idempotency_key_returns_the_first_order_instead_of_a_second(app, shops):
    north, south = shops
    first = place(app, north, idempotency_key="form-1")
    again = place(app, north, idempotency_key="form-1", lines=[(north.ids["bread"], 20)])
    other_bakery = place(app, south, idempotency_key="form-1")
    assert first.created and not again.created and other_bakery.created
    assert again.order.id == first.order.id
    assert _orders(app, north.bakery) == ([(1, "confirmed", 2675)], 1)


def test_placing_sends_the_same_number_of_statements_for_2_lines_as_for_40(app, shops):
    north, _ = shops
    many = [
        add_product(app, north.bakery, sku=f"P-{n:02}", name=f"Product {n}", price=100 + n)
        for n in range(40)
    ]
    add_price_list(
        app, north.bakery, "Std", entries=[(p, None, "10", []) for p in many], default=True
    )
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as small:
        place(app, north, [(p, 2) for p in many[:2]], delivery_date=TUESDAY)
    with count_queries(engine) as large:
        place(app, north, [(p, 2) for p in many], delivery_date=THURSDAY)
    assert large.count == small.count, "\n".join(large.statements)
    assert _orders(app, north.bakery)[1] == 42


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "Order at least 6 of Roll."),
        (-6, "Order at least 6 of Roll."),
        (4, "Roll: the minimum is 6."),
        (14, "Roll comes in steps of 6 from 6: try 12 or 18."),
        (10_000_000, "is more than we can take online"),
    ],
)
def test_a_quantity_the_product_does_not_come_in_is_refused_with_the_nearest_valid_ones(
    app, shops, quantity, message
):
    north, _ = shops
    with pytest.raises(ValidationFailed, match=message) as refused:
        place(app, north, [(north.ids["bread"], 3), (north.ids["roll"], quantity)])
    assert refused.value.field == "lines"
    assert _orders(app, north.bakery) == ([], 0)


def test_another_bakerys_product_or_one_outside_the_assortment_is_not_available(app, shops):
    north, south = shops
    with pytest.raises(ValidationFailed, match="Line 1: this product is not available"):
        place(app, north, [(south.ids["bread"], 1)])
    hidden = add_product(app, north.bakery, sku="SECRET", name="Secret loaf")
    assortment = add_assortment(app, north.bakery, product_ids=[north.ids["bread"]])
    with tenant_session(app, north.bakery.id) as session:
        from tests.support.orders import customer_row

        customer_row(session, north.ids["id"]).assortment_id = assortment
    with pytest.raises(ValidationFailed, match="Line 2: this product is not available"):
        place(app, north, [(north.ids["bread"], 1), (hidden, 1)])
    assert _orders(app, north.bakery) == ([], 0)


def test_a_location_of_another_customer_or_bakery_is_refused(app, shops):
    north, south = shops
    neighbour = make_customer(app, north.bakery, "Bistro Nord", locations=("Quay",))
    for location in (neighbour["locations"]["Quay"], south.main, "not-an-id"):
        with pytest.raises(ValidationFailed) as refused:
            place(app, north, location_id=location)
        assert refused.value.field == "location"
    assert _orders(app, north.bakery) == ([], 0)


def test_a_location_level_contact_orders_only_for_their_own_location(app, shops):
    north, _ = shops
    contact = add_contact(
        app,
        north.bakery,
        north.ids["id"],
        email="harbour@example.com",
        access_level="location",
        location_id=north.harbour,
    )
    with pytest.raises(ValidationFailed, match="one of your delivery locations"):
        place(app, north, actor=contact, location_id=north.main)
    assert place(app, north, actor=contact, location_id=north.harbour).created


def test_over_long_po_numbers_and_notes_are_refused_next_to_their_fields(app, shops):
    north, _ = shops
    with pytest.raises(ValidationFailed) as po:
        place(app, north, po_number="P" * 41)
    with pytest.raises(ValidationFailed) as notes:
        place(app, north, notes="n" * 1001)
    assert (po.value.field, notes.value.field) == ("po_number", "notes")
    assert _orders(app, north.bakery) == ([], 0)


def test_the_calendar_is_enforced_at_placement_closed_and_past_cutoff_alike(app, shops, frozen):
    north, _ = shops
    close(app, north.bakery, THURSDAY, THURSDAY, "Inventory")
    with pytest.raises(DateNotOrderable, match="Closed: Inventory."):
        place(app, north, delivery_date=THURSDAY)
    with pytest.raises(DateNotOrderable, match="No deliveries on Wednesdays"):
        place(app, north, delivery_date=date(2026, 12, 9))
    frozen.move_to("2026-12-07 14:00")
    with pytest.raises(DateNotOrderable, match="closed Mon, Dec 7 at 14:00") as late:
        place(app, north, delivery_date=TUESDAY)
    assert late.value.field == "delivery_date"
    assert _orders(app, north.bakery) == ([], 0)


def test_staff_may_take_an_order_past_the_cutoff_and_the_timeline_says_who_and_why(
    app, shops, frozen
):
    north, _ = shops
    staff = add_staff(app, north.bakery, email="desk@example.com", role="sales", name="Dana Desk")
    frozen.move_to("2026-12-07 15:30")
    with pytest.raises(ValidationFailed, match="Only the bakery"):
        place(app, north, cutoff_override_reason="please")
    order = place(
        app, north, actor=staff, cutoff_override_reason="Phoned at 15:20, driver has room"
    ).order
    placed, _, events = _lines_and_events(app, north.bakery, order.id)
    assert (placed.source, placed.placed_by_name, placed.placed_by_staff_id) == (
        "staff",
        "Dana Desk",
        staff,
    )
    assert events == [
        ("placed", "Dana Desk", ""),
        ("cutoff_override", "Dana Desk", "Phoned at 15:20, driver has room"),
    ]


def test_a_second_open_order_for_the_same_day_and_place_is_flagged_not_silently_placed(app, shops):
    north, _ = shops
    first = place(app, north).order
    with pytest.raises(OpenOrderExists) as exists:
        place(app, north, lines=[(north.ids["roll"], 6)])
    assert exists.value.order.id == first.id
    assert "order 1" in exists.value.message
    other_place = place(app, north, location_id=north.harbour)
    second = place(app, north, lines=[(north.ids["roll"], 6)], allow_second_order=True).order
    _, _, events = _lines_and_events(app, north.bakery, second.id)
    assert other_place.created
    assert events[-1] == (
        "note",
        "Alex Buyer",
        "Possible duplicate of order 1 (same day and place).",
    )


def test_orders_wait_for_review_when_the_bakery_or_the_customer_requires_approval(app, shops):
    north, south = shops
    with tenant_session(app, north.bakery.id) as session:
        from tests.support.orders import customer_row

        customer_row(session, north.ids["id"]).order_approval_required = True
    with tenant_session(app, south.bakery.id) as session:
        from tests.support.catalog import tenant_of

        tenant_of(session, south.bakery).order_approval_required = True
    assert place(app, north).order.status == "pending_review"
    assert place(app, south).order.status == "pending_review"


def test_who_may_place_a_contact_with_the_permission_on_an_active_account_of_a_portal_plan(
    app, shops
):
    from tests.support.orders import customer_row

    north, south = shops
    viewer = add_contact(
        app, north.bakery, north.ids["id"], email="viewer@example.com", grants=("view_orders",)
    )
    with pytest.raises(PermissionDenied, match="can't place orders"):
        place(app, north, actor=viewer)
    with tenant_session(app, north.bakery.id) as session:
        customer_row(session, north.ids["id"]).status = "suspended"
    with pytest.raises(PermissionDenied, match="on hold"):
        place(app, north)
    from tenants.models import Plan, Tenant
    from tests.support.factories import platform_session

    with platform_session(app) as session:
        starter = session.scalar(select(Plan).where(Plan.code == "starter"))
        session.get(Tenant, south.bakery.id).plan_id = starter.id
    with pytest.raises(FeatureNotAvailable):
        place(app, south)
    assert _orders(app, north.bakery) == ([], 0)
    assert _orders(app, south.bakery) == ([], 0)


def test_a_cart_below_the_customers_minimum_order_cannot_be_checked_out(app, shops):
    from tests.support.orders import customer_row

    north, _ = shops
    with tenant_session(app, north.bakery.id) as session:
        customer_row(session, north.ids["id"]).minimum_order_minor = 5000
    with pytest.raises(ValidationFailed, match="below your minimum order"):
        place(app, north)
    assert place(app, north, lines=[(north.ids["bread"], 20)]).created


def test_the_buyer_gets_a_confirmation_and_the_bakery_a_notice_with_lines_and_totals(
    app, shops, mailbox
):
    from tenants.models import Tenant
    from tests.support.factories import platform_session

    north, _ = shops
    with platform_session(app) as session:
        session.get(Tenant, north.bakery.id).contact_email = "orders@north.example"
    order = place(
        app, north, [(north.ids["bread"], 10), (north.ids["roll"], 12)], po_number="PO-77"
    ).order
    by_to = {m["X-Envelope-To"]: m for m in mailbox.messages}
    assert set(by_to) == {"buyer@example.com", "orders@north.example"}
    confirmation = by_to["buyer@example.com"]
    text = confirmation.get_body(("plain",)).get_content()
    assert confirmation["Subject"].startswith("Order 1 received: delivery")
    assert "10 each Baguette (BAG-01) at €2.50: €25.00" in text
    assert "12 each Roll (ROL-01) at €0.80: €9.60" in text
    assert "Tax: €1.75" in text and "Total: €36.35" in text and "PO: PO-77" in text
    assert f"https://bakery.test/wholesale/north-bakery/orders/{order.id}" in text
    notice = by_to["orders@north.example"]
    assert notice["Subject"].startswith("New order 1 from Café Aurora")
    assert "Alex Buyer placed order 1" in notice.get_body(("plain",)).get_content()
    assert "<strong>€36.35</strong>" in notice.get_body(("html",)).get_content()
    assert not [m for m in mailbox.messages if "South" in m["From"]]


def test_nothing_is_mailed_when_placement_is_refused(app, shops, mailbox):
    north, _ = shops
    with pytest.raises(ValidationFailed):
        place(app, north, [(north.ids["roll"], 5)])
    assert mailbox.messages == []


def test_a_lead_time_moves_the_earliest_date_and_placement_refuses_earlier(app, shops):
    north, _ = shops
    cake = add_product(app, north.bakery, sku="CAKE", name="Layer cake", lead_time_days=3)
    with pytest.raises(DateNotOrderable, match="Layer cake needs 3 days' notice"):
        place(app, north, [(cake, 1)], delivery_date=TUESDAY)
    assert place(app, north, [(cake, 1)], delivery_date=THURSDAY).created


def test_staff_who_switched_new_orders_on_get_the_notice_instead_of_the_contact_address(
    app, shops, mailbox
):
    from tenants.mail_preferences import set_preferences
    from tenants.models import Tenant
    from tenants.staff.models import StaffUser
    from tests.support.factories import platform_session

    north, south = shops
    with platform_session(app) as session:
        session.get(Tenant, north.bakery.id).contact_email = "orders@north.example"
    add_staff(app, north.bakery, email="sam@north.example", role="sales", name="Sam")
    gone = add_staff(app, north.bakery, email="gone@north.example", role="manager")
    add_staff(app, south.bakery, email="kim@south.example", role="sales")
    for shop, email in [
        (north, "sam@north.example"),
        (north, "gone@north.example"),
        (north, "buyer@example.com"),  # not staff: an opt-in row alone sends nothing
        (south, "kim@south.example"),
    ]:
        with tenant_session(app, shop.bakery.id) as session:
            tenant = session.get(Tenant, shop.bakery.id)
            set_preferences(
                session, tenant, email=email, unsubscribed=set(), subscribed={"new_orders"}
            )
    with tenant_session(app, north.bakery.id) as session:
        session.scalar(select(StaffUser).where(StaffUser.id == gone)).status = "disabled"
    place(app, north, [(north.ids["bread"], 10)])
    notices = sorted(
        m["X-Envelope-To"] for m in mailbox.messages if m["Subject"].startswith("New order")
    )
    assert notices == ["sam@north.example"]

    with tenant_session(app, north.bakery.id) as session:  # Sam switches it off again
        tenant = session.get(Tenant, north.bakery.id)
        set_preferences(
            session, tenant, email="sam@north.example", unsubscribed=set(), subscribed=set()
        )
    place(app, north, [(north.ids["bread"], 12)], allow_second_order=True)
    notices = [
        m["X-Envelope-To"] for m in mailbox.messages if m["Subject"].startswith("New order 2")
    ]
    assert notices == ["orders@north.example"]
