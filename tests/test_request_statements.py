"""A request sends each statement once: the bakery and the signed-in person are loaded once,
and no page repeats a statement (what a per-row lazy load or a second look-up would do).

The pages are the ones scripts/bench_http.py measures. Counting leaves out the
per-transaction tenant setting and test savepoints (tests/support/queries.py); that setting is
sent once per transaction (tests/tenants/test_scoping.py).
"""

from __future__ import annotations

from collections import Counter

import pytest

from config.extensions import db
from tenants.catalog.price_lists import BreakInput
from tests.support.catalog import add_category, add_price_list, add_product
from tests.support.factories import add_contact, make_customer, sign_in_buyer, sign_in_staff
from tests.support.queries import count_queries


@pytest.fixture
def priced(app, two_bakeries):
    """Both bakeries: three products on a list with breaks, a buyer on it, two customers."""
    for bakery in two_bakeries:
        breads = add_category(app, bakery, "Breads")
        products = [
            add_product(app, bakery, sku=f"BRD-{i}", name=f"Loaf {i}", category_id=breads)
            for i in range(3)
        ]
        cafes = add_price_list(
            app, bakery, "Cafés", entries=[(p, 200, None, [BreakInput(12, 180)]) for p in products]
        )
        aurora = make_customer(app, bakery, "Café Aurora", price_list_id=cafes)
        add_contact(app, bakery, aurora["id"], email="owner@cafe.example", is_owner=True)
        make_customer(app, bakery, "Corner Deli")
    return two_bakeries


PAGES = [
    ("buyer", "/wholesale/{slug}/catalog", "contacts"),
    ("buyer", "/wholesale/{slug}/catalog.csv", "contacts"),
    ("buyer", "/wholesale/{slug}/catalog.pdf", "contacts"),
    ("staff", "/admin/{slug}/catalog", "staff_users"),
    ("staff", "/admin/{slug}/customers", "staff_users"),
]


@pytest.mark.parametrize(("who", "page", "people"), PAGES)
def test_a_page_loads_the_bakery_and_the_signed_in_person_once_and_repeats_no_statement(
    app, client, priced, who, page, people
):
    north, _ = priced
    if who == "buyer":
        sign_in_buyer(client, north, "owner@cafe.example")
    else:
        sign_in_staff(client, north)
    url = page.format(slug=north.slug)
    with app.app_context():
        engine = db.engine
    client.get(url)  # the first request after signing in may refresh the session
    with count_queries(engine) as counter:
        assert client.get(url).status_code == 200
    texts = [" ".join(s.split()) for s in counter.statements]
    repeated = [s for s, n in Counter(texts).items() if n > 1]
    assert repeated == []
    # The bakery itself (its row, the entity) once; catalog pages also read its catalog
    # stamp, one column, once (tenants.catalog.memo).
    assert sum(t.startswith("SELECT tenants.id,") for t in texts) == 1
    stamps = sum(t.startswith("SELECT tenants.catalog_stamp") for t in texts)
    assert stamps == (1 if "/catalog" in page and who == "buyer" else 0)
    assert sum(t.startswith("SELECT tenants.") for t in texts) == 1 + stamps
    assert sum(t.startswith(f"SELECT {people}.") for t in texts) == 1


def test_the_bakery_look_up_sets_the_row_level_security_tenant_in_the_same_statement(
    app, client, priced
):
    """One round trip fewer per request: the slug's select sets `app.tenant_id` itself, and
    binding the session sends no set_config of its own; the rows still show (the app's role
    sees nothing without the setting)."""
    from sqlalchemy import event

    north, _ = priced
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers"
    client.get(url)
    with app.app_context():
        engine = db.engine
    sent = []

    def before(conn, cursor, statement, parameters, context, executemany):
        sent.append((" ".join(statement.split()), parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        page = client.get(url).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert "Café Aurora" in page and "Corner Deli" in page
    look_ups = [s for s, _ in sent if s.startswith("SELECT tenants.id,")]
    assert len(look_ups) == 1 and "set_config" in look_ups[0]
    own = [p for s, p in sent if s.startswith("SELECT set_config") and str(north.id) in str(p)]
    assert own == []
