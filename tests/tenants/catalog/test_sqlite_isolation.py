"""On the embedded default (SQLite, no row-level security) catalog reads stay in one bakery.

PostgreSQL's RLS would hide a missing tenant filter, so these checks run on SQLite, where the
ORM filter is the only guard.
"""

from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from config.extensions import db
from tenants.catalog.exports import products_csv
from tenants.catalog.products import create_product, search_products
from tenants.catalog.quotes import customer_catalog
from tenants.customers.services import create_customer
from tenants.models import Tenant
from tenants.scoping import bind_tenant
from tenants.signup import sign_up_bakery


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory):
    from config.root.app import create_app
    from config.settings import Settings

    path = tmp_path_factory.mktemp("sqlite") / "app.sqlite3"
    settings = Settings.from_env(
        {"APP_ENV": "test", "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{path}"}
    )
    app = create_app(settings, check_db_role=False)
    with app.app_context():
        upgrade()
        for slug, count in (("north-bakery", 2), ("south-bakery", 3)):
            tenant, _ = sign_up_bakery(
                db.session,
                name=slug,
                slug=slug,
                owner_name="O",
                email="o@example.com",
                password="correct-horse-battery",
                timezone="UTC",
                currency="EUR",
                locale="en_GB",
            )
            for i in range(count):
                create_product(
                    db.session,
                    tenant,
                    actor=None,
                    sku=f"SKU-{i}",
                    name=f"{slug} {i}",
                    base_price_minor=100,
                )
            create_customer(db.session, tenant, actor=None, business_name="Café Aurora")
            db.session.commit()
            db.session.remove()
    return app


def _as(app, slug):
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    bind_tenant(db.session, tenant.id)
    return tenant


@pytest.mark.parametrize("slug, count", [("north-bakery", 2), ("south-bakery", 3)])
def test_lists_counts_catalogs_and_exports_see_only_the_bakerys_products(sqlite_app, slug, count):
    from tenants.customers.models import Customer

    with sqlite_app.app_context():
        tenant = _as(sqlite_app, slug)
        page = search_products(db.session)
        assert page.total == count and len(page.rows) == count
        assert {p.name.rsplit(" ", 1)[0] for p, _ in page.rows} == {slug}
        customer = db.session.scalar(select(Customer))
        lines = customer_catalog(db.session, tenant, customer=customer, on=date(2026, 6, 1))
        assert len(lines) == count
        assert products_csv(db.session, tenant).count(slug) == count
        db.session.remove()
