"""The demo's orders: Rosemary & Rye has a delivery calendar, and Café Aurora has orders in
every status, so a newcomer sees history, a pending order in the review queue and a reorder."""

import re

from sqlalchemy import select

from config.root.demo import DEMO_PASSWORD, seed_demo
from tenants.models import Tenant
from tests.support.factories import tenant_session
from tests.support.html import page_text


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def _tenant_id(app, slug="rosemary-rye"):
    from config.extensions import db

    with app.app_context():
        return db.session.scalar(select(Tenant.id).where(Tenant.slug == slug))


def test_the_demo_gives_cafe_aurora_orders_in_every_status_once(app):
    from tenants.customers.models import Customer
    from tenants.orders.models import STATUSES, Order

    seed_demo(app)
    seed_demo(app)  # safe to run again: no second set of orders
    with tenant_session(app, _tenant_id(app)) as session:
        # Café Aurora's own, less its standing order's (tests/test_demo_standing.py counts those);
        # the bakery's day adds Corner Deli's (tests/test_demo_bakeryday.py).
        aurora = select(Customer.id).where(Customer.business_name == "Café Aurora")
        mine = Order.customer_id.in_(aurora.scalar_subquery()) & (Order.source != "standing_order")
        statuses = list(session.scalars(select(Order.status).where(mine)))
        sources = set(session.scalars(select(Order.source).where(mine)))
    # Every status but "awaiting payment", which Corner Deli's card-now order shows
    # (tests/test_demo_card.py).
    assert set(statuses) == set(STATUSES) - {"awaiting_payment"}
    assert len(statuses) == 11 and statuses.count("pending_review") == 1
    assert sources == {"wholesale_portal", "staff"}
    with tenant_session(app, _tenant_id(app, "little-crumb")) as session:
        assert session.scalar(select(Order.id)) is None  # the other bakery has none


def test_the_demo_buyer_sees_history_and_reorders_and_the_owner_reviews_the_pending_order(app):
    seed_demo(app)
    buyer = app.test_client()
    buyer.post(
        "/wholesale/rosemary-rye/login",
        data={"email": "owner@cafe-aurora.example", "password": DEMO_PASSWORD},
    )
    history = _words(buyer.get("/wholesale/rosemary-rye/orders?status=delivered"))
    assert history.count("Delivered") >= 4
    first = re.search(
        r"/wholesale/rosemary-rye/orders/([0-9a-f-]{36})",
        page_text(buyer.get("/wholesale/rosemary-rye/orders?status=delivered")),
    ).group(1)
    reordered = buyer.post(f"/wholesale/rosemary-rye/orders/{first}/reorder", follow_redirects=True)
    assert "products from order" in _words(reordered) and "Sourdough loaf" in _words(reordered)

    owner = app.test_client()
    owner.post(
        "/admin/rosemary-rye/login",
        data={"email": "owner@rosemary-rye.example", "password": DEMO_PASSWORD},
    )
    queue = _words(owner.get("/admin/rosemary-rye/orders/review"))
    assert "Review queue (1 waiting)" in queue and "Café Aurora" in queue
    assert "Possible duplicate" in queue
    home = _words(owner.get("/admin/rosemary-rye/"))
    assert "Waiting for review 1" in home
    calendar = _words(owner.get("/admin/rosemary-rye/settings/delivery"))
    assert "Christmas" in calendar
