"""After placement: statuses and their timeline, edits and cancellation before the cut-off
through the placement rules, stale forms, access levels, and reorder at today's prices."""

from __future__ import annotations

import contextlib

import pytest

from config.clock import utcnow
from tenants.catalog.price_lists import BreakInput
from tenants.errors import NotFound, PermissionDenied, ValidationFailed
from tenants.orders.errors import DateNotOrderable, OrderConflict
from tests.support.catalog import add_price_list, add_product, tenant_of
from tests.support.factories import add_contact, add_staff, tenant_session
from tests.support.orders import contact_row, customer_row, staff_row
from tests.tenants.orders.conftest import THURSDAY, TUESDAY, place


def _with_order(app, shop, order_id, fn):
    from tenants.orders.queries import get_order

    with tenant_session(app, shop.bakery.id) as session:
        order = get_order(session, order_id)
        return fn(session, tenant_of(session, shop.bakery), order)


def _status(app, shop, order_id, to, *, staff, version, reason=""):
    from tenants.orders.states import change_status

    return _with_order(
        app,
        shop,
        order_id,
        lambda s, t, o: (
            change_status(
                s,
                t,
                actor=staff_row(s, staff),
                order=o,
                to=to,
                expected_version=version,
                reason=reason,
                now=utcnow(),
            ).status
        ),
    )


def _timeline(app, shop, order_id):
    from tenants.orders.timeline import order_timeline

    return _with_order(
        app,
        shop,
        order_id,
        lambda s, t, o: [
            (e.kind, e.from_status, e.to_status, e.actor_name, e.note) for e in order_timeline(s, o)
        ],
    )


def test_an_order_moves_through_its_statuses_and_each_change_is_on_the_timeline(app, shops, frozen):
    north, _ = shops
    staff = add_staff(app, north.bakery, email="s@example.com", role="sales", name="Dana")
    order = place(app, north).order
    for version, to in enumerate(("in_production", "out_for_delivery", "delivered"), start=1):
        # A minute between changes, as in a bakery: under a frozen clock they would share one
        # instant, and the timeline (oldest first) would have no order among them.
        frozen.tick(60)
        assert _status(app, north, order.id, to, staff=staff, version=version) == to
    assert _timeline(app, north, order.id) == [
        ("placed", "", "confirmed", "Alex Buyer", ""),
        ("status", "confirmed", "in_production", "Dana", ""),
        ("status", "in_production", "out_for_delivery", "Dana", ""),
        ("status", "out_for_delivery", "delivered", "Dana", ""),
    ]


def test_a_status_cannot_skip_or_go_back_and_a_rejection_needs_a_reason(app, shops):
    north, _ = shops
    staff = add_staff(app, north.bakery, email="s@example.com", role="sales")
    order = place(app, north).order
    with pytest.raises(ValidationFailed, match="cannot become delivered"):
        _status(app, north, order.id, "delivered", staff=staff, version=1)
    with pytest.raises(ValidationFailed, match="cannot become rejected"):
        _status(app, north, order.id, "rejected", staff=staff, version=1, reason="x")
    production = add_staff(app, north.bakery, email="p@example.com", role="production")
    with pytest.raises(PermissionDenied):
        _status(app, north, order.id, "in_production", staff=production, version=1)


def test_reviewing_a_pending_order_emails_the_buyer_the_decision(app, shops, mailbox):
    north, _ = shops
    with tenant_session(app, north.bakery.id) as session:
        customer_row(session, north.ids["id"]).order_approval_required = True
    staff = add_staff(app, north.bakery, email="s@example.com", role="sales")
    first = place(app, north).order
    second = place(app, north, delivery_date=THURSDAY).order
    with pytest.raises(ValidationFailed, match="Say why"):
        _status(app, north, second.id, "rejected", staff=staff, version=1)
    mailbox.clear()
    _status(app, north, first.id, "confirmed", staff=staff, version=1)
    _status(app, north, second.id, "rejected", staff=staff, version=1, reason="No van that day")
    subjects = sorted(m["Subject"] for m in mailbox.messages)
    assert subjects == ["Order 1: Confirmed", "Order 2: Rejected"]
    rejected = next(m for m in mailbox.messages if m["Subject"] == "Order 2: Rejected")
    assert "Their reason: No van that day" in rejected.get_body(("plain",)).get_content()


def _edit(app, shop, order_id, lines, *, version=1, actor=None, **kwargs):
    from tenants.orders.editing import edit_order

    def run(session, tenant, order):
        who = contact_row(session, actor or shop.ids["contact"]) or staff_row(session, actor)
        edited = edit_order(
            session,
            tenant,
            actor=who,
            order=order,
            expected_version=version,
            lines=lines,
            now=utcnow(),
            **kwargs,
        )
        return edited.version, edited.subtotal_minor, edited.delivery_date

    return _with_order(app, shop, order_id, run)


def test_an_edit_keeps_unchanged_lines_at_their_frozen_price_and_prices_changes_today(app, shops):
    north, _ = shops
    order = place(app, north, [(north.ids["bread"], 10), (north.ids["roll"], 6)]).order
    add_price_list(
        app,
        north.bakery,
        "New prices",
        entries=[(north.ids["bread"], 300, None, []), (north.ids["roll"], 50, None, [])],
        default=True,
    )
    version, subtotal, day = _edit(
        app, north, order.id, [(north.ids["bread"], 10), (north.ids["roll"], 12)]
    )
    # Bread unchanged: 10 x 2.50 frozen; rolls changed: 12 x 0.50 today.
    assert (version, subtotal, day) == (2, 2500 + 600, TUESDAY)
    assert _timeline(app, north, order.id)[-1][0::4] == ("edited", "Roll 6 → 12")


def test_an_edit_or_cancel_goes_through_the_cutoff_and_staff_may_pass_it_with_a_reason(
    app, shops, frozen
):
    from tenants.orders.editing import cancel_order

    north, _ = shops
    order = place(app, north).order
    frozen.move_to("2026-12-07 14:00")
    with pytest.raises(DateNotOrderable, match="closed Mon, Dec 7 at 14:00"):
        _edit(app, north, order.id, [(north.ids["bread"], 2)])
    with pytest.raises(DateNotOrderable):
        _with_order(
            app,
            north,
            order.id,
            lambda s, t, o: cancel_order(
                s,
                t,
                actor=contact_row(s, north.ids["contact"]),
                order=o,
                expected_version=1,
                now=utcnow(),
            ),
        )
    staff = add_staff(app, north.bakery, email="s@example.com", role="sales", name="Dana")
    assert (
        _edit(
            app,
            north,
            order.id,
            [(north.ids["bread"], 2)],
            actor=staff,
            cutoff_override_reason="Customer phoned",
        )[0]
        == 2
    )
    assert _timeline(app, north, order.id)[-1] == (
        "cutoff_override",
        "",
        "",
        "Dana",
        "Customer phoned",
    )


def test_a_buyer_cancels_before_the_cutoff_and_a_cancelled_order_stays_cancelled(app, shops):
    from tenants.orders.editing import cancel_order

    north, _ = shops
    order = place(app, north).order

    def cancel(version):
        return _with_order(
            app,
            north,
            order.id,
            lambda s, t, o: (
                cancel_order(
                    s,
                    t,
                    actor=contact_row(s, north.ids["contact"]),
                    order=o,
                    expected_version=version,
                    reason="Closed for a funeral",
                    now=utcnow(),
                ).status
            ),
        )

    assert cancel(1) == "cancelled"
    with pytest.raises(ValidationFailed, match="cancelled and can no longer be changed"):
        cancel(2)


def test_a_stale_form_is_told_who_changed_the_order_and_when(app, shops):
    north, _ = shops
    order = place(app, north).order
    _edit(app, north, order.id, [(north.ids["bread"], 12)])
    with pytest.raises(OrderConflict, match=r"changed by Alex Buyer at .*Review it and save again"):
        _edit(app, north, order.id, [(north.ids["bread"], 14)], version=1)
    assert _edit(app, north, order.id, [(north.ids["bread"], 14)], version=2)[1] == 3500


def test_edit_permission_and_access_level_decide_who_may_change_an_order(app, shops):
    north, south = shops
    order = place(app, north).order
    no_edit = add_contact(
        app,
        north.bakery,
        north.ids["id"],
        email="n@example.com",
        grants=("view_orders", "create_orders"),
    )
    harbour = add_contact(
        app,
        north.bakery,
        north.ids["id"],
        email="h@example.com",
        access_level="location",
        location_id=north.harbour,
        grants=("view_orders", "create_orders", "edit_orders"),
    )
    with pytest.raises(PermissionDenied, match="can't change orders"):
        _edit(app, north, order.id, [(north.ids["bread"], 2)], actor=no_edit)
    with pytest.raises(NotFound):
        _edit(app, north, order.id, [(north.ids["bread"], 2)], actor=harbour)
    other = place(app, south).order
    with pytest.raises(NotFound):  # another bakery's order id is simply unknown here
        _with_order(app, north, other.id, lambda s, t, o: o)


def test_a_contact_sees_orders_by_access_level_in_lists_and_by_id(app, shops):
    from tenants.orders.queries import contact_orders, get_order_for_contact

    north, south = shops
    harbour = add_contact(
        app,
        north.bakery,
        north.ids["id"],
        email="h@example.com",
        access_level="location",
        location_id=north.harbour,
    )
    solo = add_contact(
        app,
        north.bakery,
        north.ids["id"],
        email="i@example.com",
        access_level="individual",
    )
    main = place(app, north).order
    at_harbour = place(app, north, actor=harbour, location_id=north.harbour).order
    place(app, south)

    def visible(contact_id):
        with tenant_session(app, north.bakery.id) as session:
            contact = contact_row(session, contact_id)
            numbers = [r.order.number for r in contact_orders(session, contact).rows]
            by_id = []
            for order in (main, at_harbour):
                with contextlib.suppress(NotFound):
                    by_id.append(get_order_for_contact(session, contact, order.id).number)
            return numbers, by_id

    assert visible(north.ids["contact"]) == ([2, 1], [1, 2])
    assert visible(harbour) == ([2], [2])
    assert visible(solo) == ([], [])


def test_reorder_fills_the_cart_at_todays_prices_and_says_what_changed(app, shops):
    from tenants.catalog.models import Product
    from tenants.lookup import get_by_id
    from tenants.orders.cart import view_cart
    from tenants.orders.reorder import reorder

    north, _ = shops
    extra = add_product(app, north.bakery, sku="SEED", name="Seeded loaf", price=300)
    order = place(app, north, [(north.ids["bread"], 10), (north.ids["roll"], 6), (extra, 1)]).order
    add_price_list(
        app,
        north.bakery,
        "Dearer",
        entries=[(north.ids["bread"], 275, None, [BreakInput(20, 200)])],
        default=True,
    )
    with tenant_session(app, north.bakery.id) as session:
        get_by_id(session, Product, extra, missing="x").active = False
        roll = get_by_id(session, Product, north.ids["roll"], missing="x")
        roll.min_order_qty, roll.qty_increment = 12, 12
    with tenant_session(app, north.bakery.id) as session:
        tenant = tenant_of(session, north.bakery)
        contact = contact_row(session, north.ids["contact"])
        customer = customer_row(session, north.ids["id"])
        result = reorder(
            session, tenant, contact=contact, customer=customer, order_id=order.id, now=utcnow()
        )
        cart = view_cart(session, tenant, contact=contact, customer=customer, now=utcnow())
        quantities = [(line.product.sku, line.quantity) for line in cart.priced.lines]
    assert result.added == 2
    assert set(result.changes) == {
        "Baguette: price up from €2.50 to €2.75.",
        "Roll now comes from 12 in steps of 12: 12 instead of 6.",
        "Seeded loaf is no longer available.",
    }
    assert sorted(quantities) == [("BAG-01", 10), ("ROL-01", 12)]
