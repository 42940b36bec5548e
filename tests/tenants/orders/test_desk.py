"""The staff desk's services: decisions need the orders permission, bulk changes skip what the
lifecycle refuses without undoing the rest, and the lists never show another bakery's orders."""

from __future__ import annotations

import pytest

from config.clock import utcnow
from tenants.errors import PermissionDenied, ValidationFailed
from tests.support.catalog import tenant_of
from tests.support.factories import add_staff, tenant_session
from tests.support.orders import customer_row, staff_row
from tests.tenants.orders.conftest import THURSDAY, place


def _run(app, shop, fn):
    with tenant_session(app, shop.bakery.id) as session:
        return fn(session, tenant_of(session, shop.bakery))


def test_a_role_without_the_orders_permission_cannot_approve_reject_or_bulk_change(app, shops):
    from tenants.orders import desk
    from tenants.orders.queries import get_order

    north, _ = shops
    with tenant_session(app, north.bakery.id) as session:
        customer_row(session, north.ids["id"]).order_approval_required = True
    order = place(app, north).order
    production = add_staff(app, north.bakery, email="p@example.com", role="production")

    def attempt(action):
        def run(session, tenant):
            actor, found = staff_row(session, production), get_order(session, order.id)
            return action(session, tenant, actor, found)

        with pytest.raises(PermissionDenied):
            _run(app, north, run)

    attempt(
        lambda s, t, a, o: desk.approve_order(
            s, t, actor=a, order=o, expected_version=1, now=utcnow()
        )
    )
    attempt(
        lambda s, t, a, o: desk.reject_order(
            s, t, actor=a, order=o, expected_version=1, reason="No", now=utcnow()
        )
    )
    attempt(
        lambda s, t, a, o: desk.bulk_change_status(
            s, t, actor=a, order_ids=[o.id], to="cancelled", now=utcnow()
        )
    )
    assert _run(app, north, lambda s, t: get_order(s, order.id).status) == "pending_review"


def test_a_bulk_change_moves_what_it_may_and_names_the_rest(app, shops):
    from tenants.orders import desk
    from tenants.orders.queries import get_order

    north, _ = shops
    staff = add_staff(app, north.bakery, email="s@example.com", role="sales")
    first = place(app, north).order
    second = place(app, north, delivery_date=THURSDAY).order
    result = _run(
        app,
        north,
        lambda s, t: desk.bulk_change_status(
            s, t, actor=staff_row(s, staff), order_ids=[first.id], to="in_production", now=utcnow()
        ),
    )
    assert result.changed == [first.number]
    result = _run(
        app,
        north,
        lambda s, t: desk.bulk_change_status(
            s,
            t,
            actor=staff_row(s, staff),
            order_ids=[first.id, second.id],
            to="cancelled",
            now=utcnow(),
        ),
    )
    assert result.changed == [second.number]
    assert result.refused == [f"Order {first.number} is in production and cannot become cancelled."]
    statuses = _run(app, north, lambda s, t: [get_order(s, o.id).status for o in (first, second)])
    assert statuses == ["in_production", "cancelled"]
    with pytest.raises(ValidationFailed, match="Tick at least one order"):
        _run(
            app,
            north,
            lambda s, t: desk.bulk_change_status(
                s, t, actor=staff_row(s, staff), order_ids=[], to="cancelled", now=utcnow()
            ),
        )


def test_the_staff_list_and_the_review_queue_hold_only_this_bakerys_orders(app, shops):
    from tenants.orders import desk

    north, south = shops
    for shop in shops:
        with tenant_session(app, shop.bakery.id) as session:
            customer_row(session, shop.ids["id"]).order_approval_required = True
    mine = place(app, north).order
    place(app, south)
    place(app, south, delivery_date=THURSDAY)

    def listed(session, tenant):
        page = desk.staff_orders(session, desk.OrderFilters())
        queue = desk.review_queue(session)
        return (
            page.total,
            [r.order.id for r in page.rows],
            [(r.order.id, r.possible_duplicate) for r in queue],
        )

    assert _run(app, north, listed) == (1, [mine.id], [(mine.id, False)])
