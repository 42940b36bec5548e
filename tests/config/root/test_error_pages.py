"""Error pages keep the bakery's header, the signed-in navigation and a way home, in the portal,
the back office and the console alike; another bakery's name never appears."""

import re

import pytest

from tests.support.factories import (
    add_staff,
    make_buyer,
    make_operator,
    sign_in_buyer,
    sign_in_operator,
    sign_in_staff,
)
from tests.support.html import page_text


def _header(response) -> str:
    return re.search(r"<header.*?</header>", page_text(response), re.S).group(0)


def _main(response) -> str:
    return re.search(r"<main.*?</main>", page_text(response), re.S).group(0)


def test_a_portal_404_keeps_the_bakerys_header_the_buyers_navigation_and_a_way_home(
    app, client, two_bakeries
):
    north, south = two_bakeries
    make_buyer(app, north, email="buyer@cafe.example")
    make_buyer(app, south, email="buyer@cafe.example")
    sign_in_buyer(client, north, "buyer@cafe.example")

    response = client.get(f"/wholesale/{north.slug}/no-such-page")

    assert response.status_code == 404
    header = _header(response)
    assert "North Bakery" in header and "South Bakery" not in header
    assert "Bakery Wholesale" not in page_text(response)
    assert f'href="/wholesale/{north.slug}/catalog"' in header  # the buyer's navigation
    assert "Sign out" in header
    main = _main(response)
    assert "We couldn't find that page." in main
    assert f'href="/wholesale/{north.slug}/"' in main and "portal home" in main


def test_a_portal_404_for_someone_signed_out_offers_the_sign_in(app, client, two_bakeries):
    north, _ = two_bakeries
    response = client.get(f"/wholesale/{north.slug}/no-such-page")
    assert response.status_code == 404
    assert "North Bakery" in _header(response)
    assert f'href="/wholesale/{north.slug}/login"' in _main(response)


def test_a_back_office_404_and_403_keep_the_staff_navigation(app, client, two_bakeries):
    north, _ = two_bakeries
    add_staff(app, north, email="driver@north.example", role="production")
    sign_in_staff(client, north, "driver@north.example")

    missing = client.get(f"/admin/{north.slug}/no-such-page")
    assert missing.status_code == 404
    assert "North Bakery" in _header(missing) and "Sign out" in _header(missing)
    assert f'href="/admin/{north.slug}/"' in _main(missing)

    refused = client.get(f"/admin/{north.slug}/staff")
    assert refused.status_code == 403
    assert "You don't have access to this page." in _main(refused)
    assert "North Bakery" in _header(refused) and "Sign out" in _header(refused)
    assert f'href="/admin/{north.slug}/"' in _main(refused)


def test_a_foreign_id_404_in_the_back_office_keeps_the_header(app, client, two_bakeries):
    north, _ = two_bakeries
    sign_in_staff(client, north)
    response = client.get(f"/admin/{north.slug}/customers/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "North Bakery" in _header(response) and "Sign out" in _header(response)


def test_an_expired_form_keeps_the_portal_header_and_the_buyer_signed_in(app, client, two_bakeries):
    north, _ = two_bakeries
    make_buyer(app, north, email="buyer@cafe.example")
    sign_in_buyer(client, north, "buyer@cafe.example")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/wholesale/{north.slug}/account", data={"first_name": "X"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert "This form expired" in _main(response)
    header = _header(response)
    assert "North Bakery" in header and f'href="/wholesale/{north.slug}/catalog"' in header
    assert f'href="/wholesale/{north.slug}/"' in _main(response)


@pytest.mark.parametrize("prefix", ["/admin", "/wholesale"])
def test_an_unknown_bakery_is_a_plain_404_with_a_way_to_the_start(app, client, prefix):
    response = client.get(f"{prefix}/no-such-bakery/login")
    assert response.status_code == 404
    assert 'href="/"' in _main(response)


def test_a_bakery_without_the_portal_keeps_its_name_on_a_portal_404(app, client):
    from tests.support.factories import make_bakery

    starter = make_bakery(app, "starter-bakery", plan="starter")
    response = client.get(f"/wholesale/{starter.slug}/no-such-page")
    assert response.status_code == 404
    assert "Starter Bakery" in _header(response)


def test_a_console_404_keeps_the_operator_navigation(app, client):
    make_operator(app)
    sign_in_operator(client)
    response = client.get("/platform/no-such-page")
    assert response.status_code == 404
    assert 'href="/platform/tiers"' in _header(response)
    assert 'href="/platform/"' in _main(response)


def test_a_410_says_the_link_expired_with_a_way_home(app, two_bakeries):
    from werkzeug.exceptions import Gone

    north, _ = two_bakeries
    with app.test_request_context(f"/admin/{north.slug}/some-old-link"):
        response = app.make_response(app.handle_user_exception(Gone()))
    assert response.status_code == 410
    assert "This link has expired." in _main(response)
    assert "North Bakery" in _header(response)
    assert f'href="/admin/{north.slug}/login"' in _main(response)
