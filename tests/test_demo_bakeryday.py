"""The demo's bakery's day: the coming delivery day has a production sheet with data, the van
route is numbered, and the sheet shows an order changed since its last print."""

import re

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from config.root.demo import DEMO_PASSWORD, seed_demo
from tenants.models import Tenant
from tests.support.factories import tenant_session
from tests.support.html import page_text


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


# Whenever a newcomer starts the demo: a Monday morning (today's sheet, whose orders closed
# yesterday), a weekday afternoon (tomorrow's, closed at 14:00 today), a Friday morning before
# the cut-off and a Saturday evening (Monday's).
@pytest.mark.parametrize(
    "started_at", ["2026-12-07 00:14", "2026-12-08 15:30", "2026-12-11 09:00", "2026-12-12 20:00"]
)
def test_the_demo_has_a_production_sheet_slips_and_route_for_the_coming_day(app, started_at):
    with freeze_time(started_at, tick=True):
        _check_the_demo_day(app)


def _check_the_demo_day(app):
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
    # Corner Deli's market-stall order came in after the print (a standing order placed at its
    # cut-off may have joined it).
    assert re.search(r"\d+ orders? changed since you printed at", sheet), sheet[:2000]
    slips = _words(client.get("/admin/rosemary-rye/packing"))
    assert "Corner Deli · Deli counter" in slips and "Corner Deli · Market stall" in slips
    assert "Ring twice & leave the crates" in slips
    assert slips.index("Deli counter") < slips.index("Market stall")  # stops 2 and 4
