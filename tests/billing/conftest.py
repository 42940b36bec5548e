"""Two bakeries with the same café, products and a billing contact each; invoicing in UTC unless
a test sets the bakery's timezone."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.support.catalog import add_product
from tests.support.factories import add_contact, make_customer


@dataclass
class Shop:
    bakery: object
    customer: dict
    bread: object
    roll: object
    billing_contact: object

    @property
    def main(self):
        return self.customer["locations"]["Main Street"]

    @property
    def harbour(self):
        return self.customer["locations"]["Harbour"]


def make_shop(app, bakery, name="Café Aurora", email="billing@example.com", sku="") -> Shop:
    customer = make_customer(app, bakery, name, billing_email="", payment_terms="net_14")
    contact = add_contact(
        app, bakery, customer["id"], email=email, grants=("view_orders", "view_invoices")
    )
    bread = add_product(app, bakery, sku=f"BAG-01{sku}", name="Baguette", price=250, tax_rate=7)
    roll = add_product(app, bakery, sku=f"ROL-01{sku}", name="Roll", price=80, tax_rate=19)
    return Shop(bakery, customer, bread, roll, contact)


@pytest.fixture
def shops(app, two_bakeries):
    return [make_shop(app, bakery) for bakery in two_bakeries]
