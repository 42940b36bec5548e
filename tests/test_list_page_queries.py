"""Every list page sends the same number of SQL statements for a few rows or many.

Each case names a page and the factory (from the isolation test's registry) that adds one more
row to it. Rows are added to both bakeries, so the other bakery's rows must not count either.
"""

from __future__ import annotations

import uuid

import pytest

from config.extensions import db
from tests.support import online, orders, receivables
from tests.support.factories import make_buyer, sign_in_buyer, sign_in_staff
from tests.support.queries import count_queries
from tests.test_route_isolation import ID_FACTORIES

STAFF_PAGES = [
    ("/admin/{slug}/staff", "staff_id"),
    ("/admin/{slug}/mail", "email_id"),
    ("/admin/{slug}/customers", "customer_id"),
    ("/admin/{slug}/catalog", "product_id"),
    ("/admin/{slug}/catalog/categories", "category_id"),
    ("/admin/{slug}/catalog/price-lists", "price_list_id"),
    ("/admin/{slug}/catalog/assortments", "assortment_id"),
    ("/admin/{slug}/catalog/import", "run_id"),
    ("/admin/{slug}/orders", "order_id"),
    ("/admin/{slug}/orders?sort=customer&source=staff&status=confirmed", "staff_order"),
    ("/admin/{slug}/orders/review", "pending_order"),
    ("/admin/{slug}/", "order_id"),
    ("/admin/{slug}/feedback", "rated_order"),
    ("/admin/{slug}/standing", "standing_order_id"),
    ("/admin/{slug}/", "occurrence_id"),
    ("/admin/{slug}/invoices", "invoice_id"),
    ("/admin/{slug}/invoices?status=unpaid", "invoice_id"),
    ("/admin/{slug}/payments", "payment_id"),
    ("/admin/{slug}/receivables", "payment_id"),
    ("/admin/{slug}/online-payments/attempts", "failed_attempt"),
    ("/admin/{slug}/online-payments/attempts?show=all", "paid_attempt"),
]

# Rows for pages no route argument names: an order entered by staff, one waiting for review.
PAGE_FACTORIES = {
    "staff_order": lambda app, bakery: orders.add_order(app, bakery, source="staff"),
    "pending_order": lambda app, bakery: orders.add_order(app, bakery, pending=True),
    "rated_order": lambda app, bakery: orders.add_rating(app, bakery),
    "failed_attempt": lambda app, bakery: online.add_attempt(
        app, bakery, failure_message="Your card was declined."
    ),
    "paid_attempt": lambda app, bakery: online.add_attempt(app, bakery, status="succeeded"),
}


def _statements(app, client, url) -> int:
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


@pytest.mark.parametrize(("page", "factory"), STAFF_PAGES)
def test_a_staff_list_page_sends_as_many_statements_for_2_rows_as_for_12(
    app, two_bakeries, page, factory
):
    north, south = two_bakeries
    make = ID_FACTORIES.get(factory) or PAGE_FACTORIES[factory]
    client = app.test_client()
    sign_in_staff(client, north)
    url = page.format(slug=north.slug)
    for _ in range(2):
        make(app, north)
        make(app, south)
    client.get(url)  # warm caches that are not per-row
    few = _statements(app, client, url)
    for _ in range(10):
        make(app, north)
        make(app, south)
    many = _statements(app, client, url)
    assert few > 0 and many == few, f"{url}: {few} statements for 2 rows, {many} for 12"


def test_a_customers_account_page_sends_as_many_statements_for_2_invoices_as_for_12(
    app, two_bakeries
):
    north, south = two_bakeries
    mine = receivables.make_customer(app, north, "Account Café")["id"]
    theirs = receivables.make_customer(app, south, "Account Café")["id"]
    client = app.test_client()
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{mine}/account"

    def owing(count):
        for _ in range(count):
            for bakery, customer in ((north, mine), (south, theirs)):
                receivables.add_invoice(app, bakery, customer, total=1_000)
                receivables.record(app, bakery, customer, 300)

    owing(2)
    client.get(url)
    few = _statements(app, client, url)
    owing(10)
    many = _statements(app, client, url)
    assert few > 0 and many == few, f"{few} statements for 2 invoices, {many} for 12"


def test_the_portal_users_page_sends_as_many_statements_for_2_colleagues_as_for_12(
    app, two_bakeries
):
    from tests.support.factories import add_contact

    north, south = two_bakeries
    mine = make_buyer(app, north, email="owner@cafe.example")
    theirs = make_buyer(app, south, email="owner@cafe.example")
    client = app.test_client()
    sign_in_buyer(client, north, "owner@cafe.example")
    url = f"/wholesale/{north.slug}/account/users"

    def colleagues(count):
        for _ in range(count):
            add_contact(app, north, mine["id"], email=f"{uuid.uuid4().hex[:8]}@cafe.example")
            add_contact(app, south, theirs["id"], email=f"{uuid.uuid4().hex[:8]}@cafe.example")

    colleagues(2)
    client.get(url)
    few = _statements(app, client, url)
    colleagues(10)
    many = _statements(app, client, url)
    assert few > 0 and many == few, f"{few} statements for 2 colleagues, {many} for 12"
