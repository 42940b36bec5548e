"""Staff viewing the portal as a contact see only what their role shows them in the back office:
the catalog and its negotiated prices need `catalog_view` there, so they need it here too."""

import pytest

from tests.support.catalog import add_product
from tests.support.factories import add_contact, add_staff, make_customer, sign_in_staff

PAGES = ("catalog", "catalog.csv", "catalog.pdf")


@pytest.fixture
def viewing(app, two_bakeries):
    """North and south each sell a baguette to a Café Aurora with an owner contact."""
    north, south = two_bakeries
    ids = {}
    for bakery in (north, south):
        add_product(app, bakery, name=f"{bakery.slug} baguette", price=250)
        customer = make_customer(app, bakery)
        contact = add_contact(app, bakery, customer["id"], email="sam@cafe.example", is_owner=True)
        ids[bakery.slug] = (customer["id"], contact)
    return north, south, ids


def _view_as(client, bakery, ids):
    customer_id, contact_id = ids[bakery.slug]
    started = client.post(
        f"/admin/{bakery.slug}/customers/{customer_id}/contacts/{contact_id}/view-as"
    )
    assert started.status_code == 302, started.data[:300]


def test_the_accounts_role_sees_no_catalog_or_prices_through_view_as(app, client, viewing):
    north, _, ids = viewing
    add_staff(app, north, email="accounts@north.example", role="accounts")
    sign_in_staff(client, north, "accounts@north.example")
    assert client.get(f"/admin/{north.slug}/catalog").status_code == 403
    _view_as(client, north, ids)
    assert client.get(f"/wholesale/{north.slug}/").status_code == 200  # customer data: allowed
    for page in PAGES:
        assert client.get(f"/wholesale/{north.slug}/{page}").status_code == 403, page


def test_a_role_that_sees_the_catalog_sees_it_through_view_as_too(app, client, viewing):
    north, _, ids = viewing
    add_staff(app, north, email="sales@north.example", role="sales")
    sign_in_staff(client, north, "sales@north.example")
    _view_as(client, north, ids)
    page = client.get(f"/wholesale/{north.slug}/catalog")
    assert page.status_code == 200 and b"north-bakery baguette" in page.data
    assert b"south-bakery baguette" not in page.data


def test_the_buyer_themself_still_sees_their_catalog(app, client, viewing):
    from tests.support.factories import sign_in_buyer

    north, _, _ = viewing
    sign_in_buyer(client, north, "sam@cafe.example")
    for page in PAGES:
        assert client.get(f"/wholesale/{north.slug}/{page}").status_code == 200, page
