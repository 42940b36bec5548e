"""Templates build URLs through `remembered_url_for`: the same text as Flask's `url_for`,
each bakery its own (the slug is part of what is remembered)."""

import uuid
from datetime import date

from flask import g, url_for

from config.root.urls import remembered_url_for, row_url


def test_templates_use_the_remembering_url_for(app):
    assert app.jinja_env.globals["url_for"] is remembered_url_for


def test_it_builds_what_url_for_builds_for_each_bakery_again_and_again(app, two_bakeries):
    north, south = two_bakeries
    product = uuid.uuid4()
    calls = [
        ("backoffice.catalog_product", {"product_id": product}),
        ("backoffice.catalog_product", {"product_id": str(product)}),
        ("backoffice.customer_list", {}),
        ("backoffice.catalog_products", {"page": 2, "q": "rye & <b>", "status": ""}),
        ("backoffice.catalog_products", {"q": "rye", "page": 2}),
        ("portal.catalog", {}),
        ("static", {"filename": "app.css"}),
        ("backoffice.customer_list", {"_anchor": "top"}),
        ("backoffice.customer_list", {"_external": True}),
        ("backoffice.customer_list", {"since": date(2026, 12, 7)}),
    ]
    seen = {}
    for _ in range(2):  # the second time from what was remembered
        for bakery in (north, south):
            with app.test_request_context(f"/admin/{bakery.slug}/"):
                g.tenant = bakery
                for endpoint, values in calls:
                    built = remembered_url_for(endpoint, **dict(values))
                    assert built == url_for(endpoint, **dict(values))
                    seen.setdefault((bakery.slug, endpoint, str(values)), built)
                    assert seen[(bakery.slug, endpoint, str(values))] == built
                with app.test_request_context(f"/admin/{bakery.slug}/", base_url="http://x/sub"):
                    g.tenant = bakery
                    assert remembered_url_for("backoffice.customer_list") == (
                        f"/sub/admin/{bakery.slug}/customers"
                    )
    north_url = seen[(north.slug, "backoffice.customer_list", "{}")]
    south_url = seen[(south.slug, "backoffice.customer_list", "{}")]
    assert north_url == f"/admin/{north.slug}/customers"
    assert south_url == f"/admin/{south.slug}/customers"


def test_a_relative_endpoint_is_resolved_in_the_requests_blueprint(app, client, two_bakeries):
    north, _ = two_bakeries
    with app.test_request_context(f"/admin/{north.slug}/customers"):
        g.tenant = north
        app.preprocess_request()  # matches the route, so the request has a blueprint
        assert remembered_url_for(".customer_list") == f"/admin/{north.slug}/customers"


def test_row_urls_are_what_url_for_builds_for_every_row_and_bakery(app, two_bakeries):
    north, south = two_bakeries
    ids = [uuid.uuid4() for _ in range(3)]
    for bakery in (north, south):
        with app.test_request_context(f"/admin/{bakery.slug}/"):
            g.tenant = bakery
            assert app.jinja_env.globals["row_url"] is row_url
            product_url = row_url("backoffice.catalog_product", "product_id")
            for product in ids:
                assert product_url(product) == url_for(
                    "backoffice.catalog_product", product_id=product
                )
                assert f"/admin/{bakery.slug}/" in product_url(product)
            # Not a UUID: built the ordinary way, quoted as Flask quotes it.
            assert product_url("a b/c") == url_for("backoffice.catalog_product", product_id="a b/c")
            # A value that ends up in the query string, not the path, is still right.
            page_url = row_url("backoffice.catalog_products", "q")
            assert page_url(ids[0]) == url_for("backoffice.catalog_products", q=ids[0])
