"""For every bakery-scoped route that takes an id: another bakery's id answers 404.

The route list comes from the app's URL map, so new routes are covered the moment they exist.
A route argument with no factory below fails the test: add one when you add such a route.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from tests.support import catalog, invoices, orders, receivables, standing
from tests.support.factories import (
    add_contact,
    add_outbound_email,
    add_staff,
    make_buyer,
    make_customer,
    sign_in_buyer,
    sign_in_staff,
)
from tests.support.stripe_fake import stripe_fake  # noqa: F401 - the fixture

# Arguments that are not object ids of a bakery.
NOT_IDS = {"slug", "token", "filename", "day"}

# argument name -> function(app, bakery) returning the id of a fresh object of that bakery.
ID_FACTORIES: dict[str, Callable] = {
    "staff_id": lambda app, bakery: add_staff(
        app, bakery, email=f"{uuid.uuid4().hex[:8]}@example.com", role="sales"
    ),
    "email_id": lambda app, bakery: add_outbound_email(app, bakery, status="failed"),
    "customer_id": lambda app, bakery: make_customer(app, bakery, f"C {uuid.uuid4().hex[:8]}")[
        "id"
    ],
    "location_id": lambda app, bakery: next(
        iter(make_customer(app, bakery, f"L {uuid.uuid4().hex[:8]}")["locations"].values())
    ),
    "contact_id": lambda app, bakery: add_contact(
        app,
        bakery,
        make_customer(app, bakery, f"P {uuid.uuid4().hex[:8]}")["id"],
        email=f"{uuid.uuid4().hex[:8]}@example.com",
    ),
    "product_id": lambda app, bakery: catalog.add_product(
        app, bakery, sku=f"P-{uuid.uuid4().hex[:8]}"
    ),
    "category_id": lambda app, bakery: catalog.add_category(app, bakery, f"C {uuid.uuid4()}"),
    "price_list_id": lambda app, bakery: catalog.add_price_list(app, bakery, f"L {uuid.uuid4()}"),
    "assortment_id": lambda app, bakery: catalog.add_assortment(app, bakery, f"A {uuid.uuid4()}"),
    "run_id": lambda app, bakery: catalog.add_import_run(app, bakery),
    "order_id": lambda app, bakery: orders.add_order(app, bakery),
    "closure_id": lambda app, bakery: orders.add_closure(app, bakery),
    "standing_order_id": lambda app, bakery: standing.add_standing(app, bakery),
    "occurrence_id": lambda app, bakery: standing.add_skipped_occurrence(app, bakery),
    "pause_id": lambda app, bakery: standing.add_pause(app, bakery),
    "invoice_id": lambda app, bakery: invoices.add_invoice(app, bakery),
    "note_id": lambda app, bakery: invoices.add_invoice(app, bakery, with_credit_note=True),
    "payment_id": lambda app, bakery: receivables.add_payment(app, bakery),
}

SCOPED_PREFIXES = ("/admin/<slug>/", "/wholesale/<slug>/")


def id_routes(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(SCOPED_PREFIXES):
            continue
        id_args = set(rule.arguments) - NOT_IDS
        if id_args:
            for method in sorted(rule.methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}):
                yield rule, method, id_args


def sign_in_for(rule, client, app, bakery):
    if rule.rule.startswith("/admin/"):
        sign_in_staff(client, bakery)
    else:
        # An account owner of this bakery: every portal page is open to them, so a 404 can only
        # come from the foreign id.
        email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
        own = make_buyer(app, bakery, email=email, customer_name=f"Own {uuid.uuid4().hex[:8]}")
        standing.allow_standing(app, bakery, own["id"])  # its pages are open to them too
        sign_in_buyer(client, bakery, email)


def test_bakery_scoped_routes_with_ids_exist(base_app):
    assert list(id_routes(base_app)), "expected at least one id-taking route to check"


def _url(rule, values) -> str:
    url = rule.rule
    for arg, value in values.items():
        url = url.replace(f"<{arg}>", value)
        for converter in ("string", "uuid", "int", "path"):
            url = url.replace(f"<{converter}:{arg}>", value)
    return url


def _answer(app, rule, method, bakery, values):
    url = _url(rule, {**values, "slug": bakery.slug})
    client = app.test_client()
    sign_in_for(rule, client, app, bakery)
    return url, client.open(url, method=method, data={}).status_code


def test_another_bakerys_id_answers_404_on_every_route(app, two_bakeries):
    mine, theirs = two_bakeries
    checked = []
    for rule, method, id_args in id_routes(app):
        missing = id_args - set(ID_FACTORIES)
        assert not missing, f"{rule.rule}: add an id factory for {sorted(missing)}"
        values = {arg: str(ID_FACTORIES[arg](app, theirs)) for arg in id_args}
        url, status = _answer(app, rule, method, mine, values)
        assert status == 404, f"{method} {url} answered {status}"
        checked.append(f"{method} {rule.rule}")
    assert checked


# Ids that belong to a customer account: within one bakery, another account's id must 404 too.
CUSTOMER_CHILD_IDS = {
    "contact_id",
    "location_id",
    "order_id",
    "standing_order_id",
    "occurrence_id",
    "pause_id",
    "invoice_id",
    "note_id",
    "payment_id",
}


def test_another_customers_contact_or_location_answers_404_within_the_same_bakery(
    app, two_bakeries
):
    mine, _ = two_bakeries
    checked = []
    for rule, method, id_args in id_routes(app):
        children = id_args & CUSTOMER_CHILD_IDS
        if not children:
            continue
        if rule.rule.startswith("/admin/") and "customer_id" not in id_args:
            continue  # staff see every customer's orders; only a parent in the URL narrows
        # The parent customer (in the URL for staff, the signed-in buyer's own for the portal)
        # is ours; each child id comes from another customer of the same bakery.
        values = {arg: str(ID_FACTORIES[arg](app, mine)) for arg in id_args}
        if "customer_id" in id_args:
            values["customer_id"] = str(
                make_customer(app, mine, f"Own {uuid.uuid4().hex[:8]}")["id"]
            )
        url, status = _answer(app, rule, method, mine, values)
        assert status == 404, f"{method} {url} answered {status}"
        checked.append(f"{method} {rule.rule}")
    assert any(name.split()[1].startswith("/admin/") for name in checked)
    assert any(name.split()[1].startswith("/wholesale/") for name in checked)


def test_the_delivery_route_move_is_among_the_checked_id_routes(base_app):
    # The van route renumbers a location by id (admin.backoffice.views_production.route_move);
    # the 404 check above covers it only while it stays an id route.
    rules = {(rule.rule, method) for rule, method, _ in id_routes(base_app)}
    assert ("/admin/<slug>/route/<uuid:location_id>", "POST") in rules


# Routes that take ids in the query string or form rather than the path (the crawler above
# cannot see them): (rule, field, methods).
QUERY_ID_ROUTES = [("/wholesale/<slug>/invoices/pay", "invoice", ("GET", "POST"))]


def test_query_string_invoice_ids_of_another_bakery_or_customer_answer_404(
    app,
    two_bakeries,
    stripe_fake,  # noqa: F811 - the imported fixture
):
    from tenants.models import Tenant
    from tests.support.factories import platform_session

    mine, theirs = two_bakeries
    with platform_session(app) as session:
        tenant = session.get(Tenant, mine.id)
        tenant.stripe_account_id, tenant.stripe_account_status = "acct_mine", "active"
    email = f"payer-{uuid.uuid4().hex[:8]}@example.com"
    own = make_buyer(app, mine, email=email, customer_name="Own payer")
    own_invoice = receivables.add_invoice(app, mine, own["id"])
    foreign = {
        "another bakery": receivables.add_invoice(app, theirs),
        "another customer": receivables.add_invoice(app, mine),
    }
    for rule, field, methods in QUERY_ID_ROUTES:
        client = app.test_client()
        sign_in_buyer(client, mine, email)
        url = rule.replace("<slug>", mine.slug)
        # The route is live for the buyer's own invoice, so a 404 below is the foreign id's.
        assert client.get(url, query_string={field: str(own_invoice)}).status_code == 200
        for what, invoice_id in foreign.items():
            for method in methods:
                sent = {field: [str(own_invoice), str(invoice_id)]}
                if method == "GET":
                    status = client.get(url, query_string=sent).status_code
                else:
                    status = client.post(url, data=sent).status_code
                assert status == 404, f"{method} {url} with {what}'s invoice answered {status}"
    assert stripe_fake.of("POST", "/v1/checkout/sessions") == []
