"""The shared page patterns, page by page: detail pages carry breadcrumbs back up, an empty search
says what found nothing and how to clear it, phone fields bring up the phone keypad."""

import re

import pytest

from tests.support.factories import (
    add_contact,
    make_buyer,
    make_customer,
    sign_in_buyer,
    sign_in_staff,
)
from tests.support.html import page_text


def _breadcrumbs(response) -> list[str]:
    """The hrefs of the page's breadcrumb trail."""
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', page_text(response), re.S)
    assert nav is not None, "the page has no breadcrumbs"
    return re.findall(r'href="([^"]+)"', nav.group(0))


def test_every_customer_detail_page_has_breadcrumbs_back_to_the_customer(app, client, two_bakeries):
    north, south = two_bakeries
    mine = make_customer(app, north, "Café Aurora")
    make_customer(app, south, "Café Aurora")
    contact_id = add_contact(app, north, mine["id"], email="olivia@cafe.example")
    sign_in_staff(client, north)
    customers = f"/admin/{north.slug}/customers"
    detail = f"{customers}/{mine['id']}"

    assert _breadcrumbs(client.get(detail)) == [customers]
    for page in ("edit", "pricing", "contacts/new", f"contacts/{contact_id}", "locations/new"):
        response = client.get(f"{detail}/{page}")
        assert response.status_code == 200, page
        assert _breadcrumbs(response) == [customers, detail], page
    assert _breadcrumbs(client.get(f"{customers}/new")) == [customers]


def test_catalog_detail_pages_have_breadcrumbs(app, client, two_bakeries):
    north, _ = two_bakeries
    sign_in_staff(client, north)
    catalog = f"/admin/{north.slug}/catalog"
    assert _breadcrumbs(client.get(f"{catalog}/products/new")) == [catalog]
    created = client.post(
        f"{catalog}/price-lists", data={"name": "Cafés", "currency": "EUR"}, follow_redirects=True
    )
    assert created.status_code == 200
    assert _breadcrumbs(created) == [catalog, f"{catalog}/price-lists"]


def test_portal_detail_pages_have_breadcrumbs(app, client, two_bakeries):
    north, _ = two_bakeries
    make_buyer(app, north, email="owner@cafe.example")
    sign_in_buyer(client, north, "owner@cafe.example")
    portal = f"/wholesale/{north.slug}"
    assert _breadcrumbs(client.get(f"{portal}/account/locations/new")) == [f"{portal}/"]


def test_a_customer_search_that_finds_nothing_says_so_with_a_way_to_clear_it(
    app, client, two_bakeries
):
    north, south = two_bakeries
    make_customer(app, north, "Café Aurora")
    make_customer(app, south, "zzz Foreign Café")  # the other bakery's match stays invisible
    sign_in_staff(client, north)
    customers = f"/admin/{north.slug}/customers"

    text = page_text(client.get(f"{customers}?q=zzz"))
    assert "No customers match 'zzz'." in text
    assert "No customers yet" not in text and "Foreign" not in text
    assert re.search(rf'<a href="{customers}">Clear the search</a>', text)


def test_a_product_filter_that_finds_nothing_says_so_with_a_way_to_clear_it(
    app, client, two_bakeries
):
    north, _ = two_bakeries
    sign_in_staff(client, north)
    catalog = f"/admin/{north.slug}/catalog"
    text = page_text(client.get(f"{catalog}?q=zzz"))
    assert "No products match 'zzz'." in text
    assert f'<a href="{catalog}">Clear the filters</a>' in text
    assert "No products yet." in page_text(client.get(catalog))


@pytest.mark.parametrize("side", ["back office contact", "company", "own settings"])
def test_phone_fields_are_tel_inputs(app, client, two_bakeries, side):
    north, _ = two_bakeries
    buyer = make_buyer(app, north, email="owner@cafe.example")
    if side == "back office contact":
        sign_in_staff(client, north)
        url = f"/admin/{north.slug}/customers/{buyer['id']}/contacts/new"
    else:
        sign_in_buyer(client, north, "owner@cafe.example")
        path = "account/company" if side == "company" else "account"
        url = f"/wholesale/{north.slug}/{path}"
    [phone] = re.findall(r'<input[^>]*name="phone"[^>]*>', page_text(client.get(url)))
    assert 'type="tel"' in phone


def test_the_customer_activity_shows_the_bakerys_time_with_the_zone_named(
    app, client, two_bakeries
):
    from freezegun import freeze_time

    north, _ = two_bakeries
    mine = make_customer(app, north, "Café Aurora")
    with freeze_time("2026-07-01 12:00:00"):
        sign_in_staff(client, north)
        url = f"/admin/{north.slug}/customers/{mine['id']}"
        done = client.post(f"{url}/portal", data={"enabled": "0"})
        assert done.status_code == 302, done.status_code
        text = page_text(client.get(f"/admin/{north.slug}/customers/{mine['id']}"))
    activity = text[text.index('id="activity"') :]
    assert "1 Jul 2026, 13:00 BST" in activity  # London's summer time, not 12:00
    assert "UTC" not in activity
