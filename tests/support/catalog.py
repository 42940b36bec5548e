"""Catalog test data: products, price lists, assortments, import runs, each in its own committed
session. Customers come from tests.support.factories.make_customer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.support.factories import tenant_session


def tenant_of(session, bakery):
    from tenants.models import Tenant

    return session.scalar(select(Tenant).where(Tenant.id == bakery.id))


def add_product(app, bakery, *, sku="BAG-01", name="Baguette", price=250, **fields):
    """A product of `bakery`; returns its id."""
    from tenants.catalog.products import create_product

    with tenant_session(app, bakery.id) as session:
        return create_product(
            session,
            tenant_of(session, bakery),
            actor=None,
            sku=sku,
            name=name,
            base_price_minor=price,
            **fields,
        ).id


def add_category(app, bakery, name="Breads", position=0):
    from tenants.catalog.products import save_category

    with tenant_session(app, bakery.id) as session:
        return save_category(
            session, tenant_of(session, bakery), actor=None, name=name, position=position
        ).id


def add_price_list(app, bakery, name="Cafés", entries=(), default=False, **validity):
    """A price list with entries [(product_id, unit_price|None, pct|None, [BreakInput...])]."""
    from tenants.catalog.price_lists import (
        get_settings,
        save_price_list,
        set_entry,
    )
    from tenants.catalog.products import get_product

    with tenant_session(app, bakery.id) as session:
        tenant = tenant_of(session, bakery)
        price_list = save_price_list(session, tenant, actor=None, name=name, **validity)
        for product_id, price, pct, breaks in entries:
            set_entry(
                session,
                tenant,
                actor=None,
                price_list=price_list,
                product=get_product(session, product_id),
                unit_price_minor=price,
                discount_percent=Decimal(pct) if pct is not None else None,
                breaks=list(breaks),
            )
        if default:
            get_settings(session, tenant).default_price_list_id = price_list.id
        return price_list.id


def add_assortment(app, bakery, name="Cafés menu", product_ids=()):
    from tenants.catalog.assortments import save_assortment

    with tenant_session(app, bakery.id) as session:
        return save_assortment(
            session,
            tenant_of(session, bakery),
            actor=None,
            name=name,
            product_ids=list(product_ids),
        ).id


def add_import_run(app, bakery):
    from tenants.catalog.models import ImportRun

    with tenant_session(app, bakery.id) as session:
        run = ImportRun(
            tenant_id=bakery.id,
            kind="products",
            status="done",
            total=0,
            done=0,
            errors=[],
            options={},
            summary={},
            payload="",
        )
        session.add(run)
        session.flush()
        return run.id


@pytest.fixture
def bakeries(app, two_bakeries):
    """Two bakeries; the second has a product, category and price list named like the ones
    the tests make in the first, which nothing here may touch (checked after each test)."""
    north, south = two_bakeries
    add_price_list(
        app, south, "Cafés", entries=[(add_product(app, south, sku="BAG-01"), 99, None, [])]
    )
    add_category(app, south, "Breads")
    before = _south_state(app, south)
    yield north, south
    assert _south_state(app, south) == before


def _south_state(app, south):
    from tenants.catalog.models import PriceListEntry, Product

    with tenant_session(app, south.id) as session:
        products = sorted(
            session.execute(
                select(Product.sku, Product.name, Product.base_price_minor, Product.active)
            ).all()
        )
        entries = sorted(session.execute(select(PriceListEntry.unit_price_minor)).all())
        return products, entries


def set_list_price(session, bakery, price_list_id, product_id, unit_price_minor):
    """Put `product_id` on `price_list_id` at a fixed price, through the service (in an open
    tenant session, so a test can change more in the same transaction)."""
    from tenants.catalog.price_lists import get_price_list, set_entry
    from tenants.catalog.products import get_product

    set_entry(
        session,
        tenant_of(session, bakery),
        actor=None,
        price_list=get_price_list(session, price_list_id),
        product=get_product(session, product_id),
        unit_price_minor=unit_price_minor,
    )
