"""Catalog services: usage counts toward the tier, price-list validation, gating, sold out."""

from datetime import date
from decimal import Decimal

import pytest

from tenants.catalog.buyer_export import buyer_catalog_csv
from tenants.catalog.price_lists import BreakInput, validate_tiers
from tenants.catalog.products import get_product, mark_sold_out, sold_out_days
from tenants.errors import FeatureNotAvailable, ValidationFailed
from tenants.usage import platform_usage, tenant_usage
from tests.support.catalog import add_product, tenant_of
from tests.support.factories import make_bakery, make_customer, platform_session, tenant_session


def test_products_count_toward_the_tier_for_the_bakery_and_for_operators(app, two_bakeries):
    north, south = two_bakeries
    add_product(app, north, sku="A", active=False)
    add_product(app, north, sku="B")
    add_product(app, south, sku="A")
    with tenant_session(app, north.id) as session:
        assert tenant_usage(session, north.id)["products"] == 2
    with platform_session(app) as session:
        usage = platform_usage(session)
    assert usage[north.id]["products"] == 2 and usage[south.id]["products"] == 1


@pytest.mark.parametrize(
    "first, breaks, message",
    [
        (-1, [], "cannot be negative"),
        (10**9, [], "too high"),
        (200, [BreakInput(12, 180), BreakInput(12, 170)], "is duplicated"),
        (200, [BreakInput(24, 180), BreakInput(12, 190)], "out of order"),
        (200, [BreakInput(12, 210)], "raise the unit price"),
        (200, [BreakInput(1, 100)], "quantity of 2 or more"),
        (200, [BreakInput(12, None, Decimal("101"))], "between 0 and 100"),
        (200, [BreakInput(12, 100, Decimal("5"))], "a price or a discount"),
    ],
)
def test_bad_prices_and_breaks_are_refused(first, breaks, message):
    with pytest.raises(ValidationFailed) as caught:
        validate_tiers(250, first, None, breaks)
    assert message in caught.value.message


def test_good_breaks_come_back_as_tiers_in_order():
    tiers = validate_tiers(
        250, None, Decimal("4"), [BreakInput(12, 230), BreakInput(48, None, Decimal("10"))]
    )
    assert [(t.min_qty, t.unit_price(250)) for t in tiers] == [(1, 240), (12, 230), (48, 225)]


def test_the_buyer_export_service_checks_the_feature_itself(app, two_bakeries):
    professional, _ = two_bakeries
    starter = make_bakery(app, "starter-bakery", plan="starter")
    customer_id = make_customer(app, starter)["id"]
    theirs = make_customer(app, professional)["id"]
    add_product(app, professional, sku="PRO-ONLY")
    with tenant_session(app, professional.id) as session:
        from tenants.customers.services import get_customer

        text = buyer_catalog_csv(
            session,
            tenant_of(session, professional),
            customer=get_customer(session, theirs),
            on=date(2026, 6, 1),
        )
        assert "PRO-ONLY" in text
    with tenant_session(app, starter.id) as session:
        from tenants.customers.services import get_customer

        with pytest.raises(FeatureNotAvailable):
            buyer_catalog_csv(
                session,
                tenant_of(session, starter),
                customer=get_customer(session, customer_id),
                on=date(2026, 6, 1),
            )


def test_sold_out_marks_belong_to_one_product_and_one_date(app, two_bakeries):
    north, south = two_bakeries
    mine, theirs = add_product(app, north), add_product(app, south)
    with tenant_session(app, north.id) as session:
        product = get_product(session, mine)
        tenant = tenant_of(session, north)
        mark_sold_out(
            session, tenant, actor=None, product=product, day=date(2026, 6, 2), sold_out=True
        )
        mark_sold_out(
            session, tenant, actor=None, product=product, day=date(2026, 6, 2), sold_out=True
        )
        assert sold_out_days(session, product, from_day=date(2026, 6, 1)) == [date(2026, 6, 2)]
    with tenant_session(app, south.id) as session:
        other = get_product(session, theirs)
        assert sold_out_days(session, other, from_day=date(2026, 6, 1)) == []


def test_availability_follows_bake_days_season_lead_time_and_sold_out_marks(app, two_bakeries):
    from tenants.catalog.products import unavailable_on

    north, south = two_bakeries
    weekdays = add_product(app, north, sku="WEEK", bake_days="1111100", lead_time_days=2)
    summer = add_product(
        app, north, sku="SUMMER", available_from=date(2026, 6, 1), available_until=date(2026, 8, 31)
    )
    add_product(app, south, sku="WEEK", bake_days="0000011")
    with tenant_session(app, north.id) as session:
        tenant = tenant_of(session, north)
        week, sun = get_product(session, weekdays), get_product(session, summer)
        mark_sold_out(
            session, tenant, actor=None, product=sun, day=date(2026, 6, 10), sold_out=True
        )
        today = date(2026, 6, 1)  # a Monday
        assert unavailable_on(session, [week, sun], day=date(2026, 6, 5), today=today) == {}
        assert unavailable_on(session, [week, sun], day=date(2026, 6, 6), today=today) == {
            week.id: "not baked on that weekday"
        }
        assert unavailable_on(session, [week, sun], day=date(2026, 6, 2), today=today) == {
            week.id: "needs 2 day(s) notice"
        }
        assert unavailable_on(session, [sun], day=date(2026, 6, 10), today=today) == {
            sun.id: "sold out on that day"
        }
        assert unavailable_on(session, [sun], day=date(2026, 9, 1), today=today) == {
            sun.id: "out of season on that day"
        }
