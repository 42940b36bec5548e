"""Two bakeries ready to take orders: each has a café with a contact and the same-named products,
Tuesday/Thursday delivery closing at 14:00 the day before, and a frozen Monday morning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from types import SimpleNamespace

import pytest
from freezegun import freeze_time

from config.clock import utcnow
from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session
from tests.support.orders import contact_row, customer_row, make_cafe, set_days

MONDAY = "2026-12-07 09:00"
TUESDAY = date(2026, 12, 8)
THURSDAY = date(2026, 12, 10)


@dataclass
class Shop:
    bakery: object
    ids: dict

    @property
    def main(self):
        return self.ids["locations"]["Main Street"]

    @property
    def harbour(self):
        return self.ids["locations"]["Harbour"]


@pytest.fixture
def frozen():
    with freeze_time(MONDAY) as clock:
        yield clock


@pytest.fixture
def shops(app, two_bakeries, frozen):
    north, south = two_bakeries
    result = []
    for bakery in (north, south):
        set_days(app, bakery, {1: (1, time(14)), 3: (1, time(14))})
        result.append(Shop(bakery, make_cafe(app, bakery)))
    return result


def place(app, shop: Shop, lines=None, *, actor="contact", **kwargs):
    """Place an order in `shop` as its contact (or `actor`, a staff id) and commit."""
    from tenants.orders.placement import place_order

    with tenant_session(app, shop.bakery.id) as session:
        kwargs.setdefault("location_id", shop.main)
        kwargs.setdefault("delivery_date", TUESDAY)
        placement = place_order(
            session,
            tenant_of(session, shop.bakery),
            customer=customer_row(session, shop.ids["id"]),
            actor=resolve_actor(session, shop, actor),
            lines=lines if lines is not None else [(shop.ids["bread"], 10)],
            now=utcnow(),
            **kwargs,
        )
        order = placement.order
        # Plain values: the session commits (and expires the order) as the block ends.
        snapshot = SimpleNamespace(id=order.id, number=order.number, status=order.status)
        return SimpleNamespace(created=placement.created, order=snapshot)


def resolve_actor(session, shop: Shop, actor):
    from tests.support.orders import staff_row

    if actor == "contact":
        return contact_row(session, shop.ids["contact"])
    if actor is None:
        return None
    return staff_row(session, actor) or contact_row(session, actor)
