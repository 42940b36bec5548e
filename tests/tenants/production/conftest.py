"""Two bakeries with the same-named café (two locations), categories and products, ready for
the day's documents; returns plain ids per bakery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.support.catalog import add_category, add_product
from tests.support.factories import make_customer
from tests.tenants.orders.conftest import frozen, shops  # noqa: F401 - fixtures (standing tests)

DAY = date(2026, 12, 8)  # a Tuesday


@dataclass
class DayShop:
    bakery: object
    customer: object
    locations: dict
    products: dict
    categories: dict


def make_day_shop(app, bakery, *, customer_name="Café Aurora") -> DayShop:
    breads = add_category(app, bakery, "Breads", position=0)
    cakes = add_category(app, bakery, "Cakes", position=1)
    products = {
        "rye": add_product(app, bakery, sku="RYE", name="Rye loaf", category_id=breads),
        "bag": add_product(app, bakery, sku="BAG", name="Baguette", category_id=breads),
        "tart": add_product(app, bakery, sku="TART", name="Apple tart", category_id=cakes),
        "misc": add_product(app, bakery, sku="MISC", name="Gift box"),
    }
    made = make_customer(app, bakery, customer_name)
    return DayShop(bakery, made["id"], made["locations"], products, {"breads": breads})


@pytest.fixture
def day_shops(app, two_bakeries):
    return [make_day_shop(app, bakery) for bakery in two_bakeries]
