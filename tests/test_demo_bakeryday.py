"""The demo's bakery's day: the coming delivery day has a production sheet with data, the van
route is numbered, and the sheet shows an order changed since its last print."""

import re

from sqlalchemy import select

from config.root.demo import DEMO_PASSWORD, seed_demo
from tenants.models import Tenant
from tests.support.factories import tenant_session
from tests.support.html import page_text


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def test_the_demo_has_a_production_sheet_slips_and_route_for_the_coming_day(app):
    from config.extensions import db
    from tenants.production.models import ProductionPrint, RoutePosition

    seed_demo(app)
    seed_demo(app)  # safe to run again: one set of orders, one route
    with app.app_context():
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "rosemary-rye"))
        other_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "little-crumb"))
    with tenant_session(app, tenant_id) as session:
        assert sorted(session.scalars(select(RoutePosition.position))) == [1, 2, 3, 4]
        assert len(session.scalars(select(ProductionPrint.id)).all()) == 1
    with tenant_session(app, other_id) as session:
        assert session.scalar(select(RoutePosition.id)) is None

    client = app.test_client()
    client.post(
        "/admin/rosemary-rye/login",
        data={"email": "owner@rosemary-rye.example", "password": DEMO_PASSWORD},
    )
    sheet = _words(client.get("/admin/rosemary-rye/production"))
    assert "Sourdough loaf" in sheet and "Pain au chocolat" in sheet
    assert re.search(r"Generated .* from \d+ confirmed orders", sheet)
    assert "1 order changed since you printed at" in sheet
    slips = _words(client.get("/admin/rosemary-rye/packing"))
    assert "Corner Deli · Deli counter" in slips and "Corner Deli · Market stall" in slips
    assert "Ring twice & leave the crates" in slips
    assert slips.index("Deli counter") < slips.index("Market stall")  # stops 2 and 4
