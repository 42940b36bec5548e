"""The demo's standing order: Café Aurora's Riverside café has bread every Wednesday, with past
weeks placed (and delivered) by the generator, one coming week skipped and the rest scheduled,
visible to the buyer in the portal and to staff in the back office."""

from sqlalchemy import select

from config.root.demo import DEMO_PASSWORD, seed_demo
from tenants.models import Tenant
from tests.support.factories import tenant_session
from tests.support.html import page_text


def _tenant_id(app, slug):
    from config.extensions import db

    with app.app_context():
        return db.session.scalar(select(Tenant.id).where(Tenant.slug == slug))


def test_the_demo_has_a_wednesday_standing_order_with_placed_skipped_and_coming_weeks(app):
    from tenants.orders.models import Order
    from tenants.orders.standing_models import StandingOccurrence, StandingOrder

    seed_demo(app)
    seed_demo(app)  # once
    with tenant_session(app, _tenant_id(app, "rosemary-rye")) as session:
        orders = session.scalars(select(StandingOrder)).all()
        assert [(o.name, o.weekday, o.every_weeks) for o in orders] == [("Wednesday bread", 2, 1)]
        rows = session.scalars(select(StandingOccurrence)).all()
        assert [r.status for r in rows].count("skipped") == 1
        placed = session.scalars(select(Order).where(Order.source == "standing_order")).all()
        assert len(placed) >= 3
        assert all(o.delivery_date.weekday() == 2 for o in placed)
        assert {o.status for o in placed} & {"delivered"}
    with tenant_session(app, _tenant_id(app, "little-crumb")) as session:
        assert session.scalar(select(StandingOrder.id)) is None

    client = app.test_client()
    client.post(
        "/wholesale/rosemary-rye/login",
        data={"email": "owner@cafe-aurora.example", "password": DEMO_PASSWORD},
    )
    page = page_text(client.get("/wholesale/rosemary-rye/standing"))
    assert "Wednesday bread" in page and "Skipped" in page and "Scheduled" in page
    staff = app.test_client()
    staff.post(
        "/admin/rosemary-rye/login",
        data={"email": "owner@rosemary-rye.example", "password": DEMO_PASSWORD},
    )
    assert "Wednesday bread" in page_text(staff.get("/admin/rosemary-rye/standing"))
