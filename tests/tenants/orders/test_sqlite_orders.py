"""On the embedded default (SQLite, no row-level security, inline mail) a buyer orders through the
portal: the order number comes from SQLite's upsert, and the ORM filter alone keeps bakeries
apart."""

import re

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from config.extensions import db
from config.root.app import create_app
from config.root.demo import DEMO_PASSWORD
from config.settings import Settings
from tenants.scoping import bind_tenant
from tenants.web import tenant_by_slug


@pytest.fixture
def sqlite_app(tmp_path):
    settings = Settings.from_env(
        {
            "APP_ENV": "test",
            "SECRET_KEY": "s",
            "DEMO_MODE": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        }
    )
    app = create_app(settings)
    app.config["WTF_CSRF_ENABLED"] = False
    app.extensions["mail_transport"].directory = tmp_path / "mail"
    with app.app_context():
        upgrade()
    from config.root.demo import seed_demo

    seed_demo(app)
    yield app
    with app.app_context():
        db.engine.dispose()


def _ids(app):
    from tenants.catalog.models import Product
    from tenants.customers.models import Customer, DeliveryLocation

    with app.app_context():
        tenant = tenant_by_slug("rosemary-rye")
        bind_tenant(db.session, tenant.id)
        product = db.session.scalar(select(Product.id).where(Product.sku == "BRD-SOUR"))
        # Café Aurora's first location (the demo's other customers have locations of their own).
        aurora = select(Customer.id).where(Customer.business_name == "Café Aurora")
        location = db.session.scalar(
            select(DeliveryLocation.id)
            .where(DeliveryLocation.customer_id.in_(aurora.scalar_subquery()))
            .order_by(DeliveryLocation.name)
        )
        return tenant.id, product, location


def test_a_demo_buyer_places_two_orders_numbered_next_after_the_demos_on_sqlite(sqlite_app):
    from tenants.orders.models import Order

    tenant_id, product, location = _ids(sqlite_app)
    client = sqlite_app.test_client()
    base = "/wholesale/rosemary-rye"
    signed_in = client.post(
        f"{base}/login", data={"email": "owner@cafe-aurora.example", "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 302
    with sqlite_app.app_context():  # the demo's own orders come first
        bind_tenant(db.session, tenant_id)
        before = db.session.scalar(select(func.count()).select_from(Order))
    numbers = []
    for key in ("first", "second"):
        client.post(f"{base}/cart/add", data={"product_id": str(product), "quantity": "10"})
        page = client.get(f"{base}/cart").get_data(as_text=True)
        earliest = re.search(r'<option value="(\d{4}-\d\d-\d\d)"', page).group(1)
        placed = client.post(
            f"{base}/checkout",
            data={
                "location_id": str(location),
                "delivery_date": earliest,
                "idempotency_key": key,
                "allow_second_order": "y",
            },
        )
        assert placed.status_code == 302, placed.get_data(as_text=True)[:2000]
        numbers.append(
            re.search(
                r"Order (\d+) is placed",
                client.get(placed.headers["Location"]).get_data(as_text=True),
            ).group(1)
        )
    assert numbers == [str(before + 1), str(before + 2)]
    with sqlite_app.app_context():
        bind_tenant(db.session, tenant_id)
        assert db.session.scalar(select(func.count()).select_from(Order)) == before + 2
    with sqlite_app.app_context():
        other = tenant_by_slug("little-crumb")
        bind_tenant(db.session, other.id)
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0
