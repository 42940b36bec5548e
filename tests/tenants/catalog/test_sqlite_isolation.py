"""On the embedded default (SQLite, no row-level security) catalog reads stay in one bakery.

PostgreSQL's RLS would hide a missing tenant filter, so these checks run on SQLite, where the
ORM filter is the only guard.
"""

from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

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


def test_the_remembered_catalog_follows_every_write_at_once_on_sqlite(sqlite_app):
    """SQLite's triggers restamp the bakery as each row is written, so the writer's own next
    read (and everyone's after its commit) sees the change; the other bakery keeps its stamp."""
    from migrations.catalog_stamp import CATALOG_TABLES
    from tenants.customers.models import Customer

    with sqlite_app.app_context():
        names = set(
            db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all()
        )
        for table in CATALOG_TABLES:
            assert {f"{table}_catalog_{e}" for e in ("insert", "update", "delete")} <= names
        south_stamp = db.session.scalar(
            select(Tenant.catalog_stamp).where(Tenant.slug == "south-bakery")
        )
        tenant = _as(sqlite_app, "north-bakery")
        customer = db.session.scalar(select(Customer))
        day = date(2026, 6, 1)

        def prices():
            lines = customer_catalog(db.session, tenant, customer=customer, on=day)
            return sorted(line.quote.unit_price_minor for line in lines)

        assert prices() == [100, 100]
        assert prices() == [100, 100]  # from the memo
        db.session.execute(
            text("UPDATE products SET base_price_minor = 120 WHERE tenant_id = :t"),
            {"t": tenant.id.hex},
        )
        assert prices() == [120, 120]  # the writer's own read, before its commit
        db.session.rollback()
        tenant = _as(sqlite_app, "north-bakery")
        customer = db.session.scalar(select(Customer))
        assert prices() == [100, 100]  # rolled back: its stamp went with it
        assert (
            db.session.scalar(select(Tenant.catalog_stamp).where(Tenant.slug == "south-bakery"))
            == south_stamp
        )
        db.session.remove()


def test_the_product_lists_category_choices_are_the_bakerys_own_on_sqlite(sqlite_app):
    """The choices travel inside the page's statement; on SQLite the ORM filter is the only
    guard, so another bakery's categories must not come along."""
    from tenants.catalog.products import save_category

    with sqlite_app.app_context():
        for slug, names in (("north-bakery", ["Rolls", "Breads"]), ("south-bakery", ["Cakes"])):
            tenant = _as(sqlite_app, slug)
            for position, name in enumerate(names):
                save_category(db.session, tenant, actor=None, name=name, position=position)
            db.session.commit()
            db.session.remove()
        _as(sqlite_app, "north-bakery")
        page = search_products(db.session, with_categories=True)
        assert [c.name for c in page.categories] == ["Rolls", "Breads"]
        empty = search_products(db.session, q="nothing-like-this", with_categories=True)
        assert empty.rows == [] and [c.name for c in empty.categories] == ["Rolls", "Breads"]
        db.session.rollback()
        db.session.remove()
