"""Nothing hard to take back happens on one click in the back office: the button leads to the
one confirm step (a page that works without JavaScript and says what will happen), and only
its POST acts. Cheap undos (re-enabling) are offered in the message instead."""

import re

from sqlalchemy import select

from tenants.catalog.models import PriceList, PriceListEntry
from tenants.customers.models import Contact, Customer, DeliveryLocation
from tenants.staff.models import StaffUser
from tests.support.catalog import add_price_list, add_product
from tests.support.factories import (
    add_contact,
    add_staff,
    make_customer,
    sign_in_staff,
    tenant_session,
)


def _posts_to(page: str, url: str) -> bool:
    """Whether the page has a form that posts straight to `url` (a one-click action)."""
    return re.search(r'<form[^>]*action="' + re.escape(url) + '"', page) is not None


def _confirm(client, url, question):
    """GET `url`: the confirm page asking `question`, whose form posts back to `url`."""
    page = client.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert question in text and _posts_to(text, url) and "Cancel" in text
    return text


def test_removing_a_location_says_who_is_assigned_and_waits_for_the_confirmation(
    app, client, two_bakeries
):
    north, south = two_bakeries
    other = make_customer(app, south, "Café Aurora", locations=("Riverside",))
    customer = make_customer(app, north, locations=("Riverside", "Harbour"))
    riverside = customer["locations"]["Riverside"]
    add_contact(
        app,
        north,
        customer["id"],
        email="ravi@cafe.example",
        first_name="Ravi",
        access_level="location",
        location_id=riverside,
    )
    sign_in_staff(client, north)
    detail = f"/admin/{north.slug}/customers/{customer['id']}"
    url = f"{detail}/locations/{riverside}/remove"
    assert not _posts_to(client.get(detail).get_data(as_text=True), url)
    page = _confirm(client, url, "Remove Riverside?")
    assert "Ravi Buyer is assigned to it" in page and 'class="danger"' in page
    with tenant_session(app, north.id) as session:
        assert session.get(DeliveryLocation, (north.id, riverside)) is not None
    # another bakery's location answers 404 on the confirm page too
    foreign = other["locations"]["Riverside"]
    assert client.get(f"{detail}/locations/{foreign}/remove").status_code == 404
    assert client.post(url, data={"confirmed": "yes"}).status_code == 302
    with tenant_session(app, north.id) as session:
        assert session.get(DeliveryLocation, (north.id, riverside)) is None
    with tenant_session(app, south.id) as session:
        assert session.get(DeliveryLocation, (south.id, foreign)) is not None


def test_removing_a_contact_is_confirmed_and_disabling_offers_the_undo_instead(
    app, client, two_bakeries
):
    north, _ = two_bakeries
    customer = make_customer(app, north)
    contact = add_contact(app, north, customer["id"], email="sam@cafe.example", first_name="Sam")
    sign_in_staff(client, north)
    base = f"/admin/{north.slug}/customers/{customer['id']}/contacts/{contact}"
    page = client.get(f"/admin/{north.slug}/customers/{customer['id']}").get_data(as_text=True)
    assert not _posts_to(page, f"{base}/remove")
    _confirm(client, f"{base}/remove", "Remove Sam Buyer from Café Aurora?")
    disabled = client.post(f"{base}/disable", follow_redirects=True).get_data(as_text=True)
    assert "Sam Buyer is disabled" in disabled
    assert _posts_to(disabled, f"{base}/enable") and "Enable Sam again" in disabled
    client.post(f"{base}/enable")
    with tenant_session(app, north.id) as session:
        assert session.get(Contact, (north.id, contact)).status == "active"
    assert client.post(f"{base}/remove", data={"confirmed": "yes"}).status_code == 302
    with tenant_session(app, north.id) as session:
        assert session.get(Contact, (north.id, contact)) is None


def test_switching_the_portal_off_and_suspending_are_confirmed_in_the_routine_style(
    app, client, two_bakeries
):
    north, _ = two_bakeries
    customer = make_customer(app, north)
    sign_in_staff(client, north)
    detail = f"/admin/{north.slug}/customers/{customer['id']}"
    page = client.get(detail).get_data(as_text=True)
    assert not _posts_to(page, f"{detail}/portal") and not _posts_to(page, f"{detail}/suspend")
    off = _confirm(client, f"{detail}/portal", "Switch off the wholesale portal for Café Aurora?")
    assert 'class="danger"' not in off  # reversible: not red
    suspend = _confirm(client, f"{detail}/suspend", "Suspend Café Aurora?")
    assert 'name="reason"' in suspend and 'class="danger"' not in suspend
    no_reason = client.post(f"{detail}/suspend", data={"reason": "", "confirmed": "yes"})
    assert no_reason.status_code == 422 and 'id="reason-error"' in no_reason.get_data(True)
    with tenant_session(app, north.id) as session:
        row = session.get(Customer, (north.id, customer["id"]))
        assert row.portal_enabled and not row.is_suspended
    client.post(f"{detail}/portal", data={"enabled": "0", "confirmed": "yes"})
    client.post(f"{detail}/suspend", data={"reason": "Unpaid invoices", "confirmed": "yes"})
    with tenant_session(app, north.id) as session:
        row = session.get(Customer, (north.id, customer["id"]))
        assert not row.portal_enabled and row.is_suspended


def test_deleting_a_price_list_or_a_row_says_what_goes_and_waits_for_the_confirmation(
    app, client, two_bakeries
):
    north, south = two_bakeries
    product = add_product(app, north, price=250)
    price_list = add_price_list(app, north, "Cafés", entries=[(product, 220, None, [])])
    foreign = add_price_list(app, south, "Cafés")
    make_customer(app, north, "Café Aurora", price_list_id=price_list)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/price-lists/{price_list}"
    page = client.get(url).get_data(as_text=True)
    assert not _posts_to(page, f"{url}/delete")
    assert not _posts_to(page, f"{url}/entries/{product}/remove")
    deleting = _confirm(client, f"{url}/delete", "Delete the price list Cafés?")
    assert "1 customer(s) on it (Café Aurora)" in deleting
    _confirm(client, f"{url}/entries/{product}/remove", "Remove Baguette from Cafés?")
    assert (
        client.get(f"/admin/{north.slug}/catalog/price-lists/{foreign}/delete").status_code == 404
    )
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(PriceListEntry.id)) is not None
    client.post(f"{url}/entries/{product}/remove", data={"confirmed": "yes"})
    client.post(f"{url}/delete", data={"confirmed": "yes"})
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(PriceList.id)) is None
    with tenant_session(app, south.id) as session:
        assert session.scalar(select(PriceList.id)) == foreign


def test_disabling_a_colleague_is_confirmed_and_the_message_offers_to_enable_them_again(
    app, client, two_bakeries
):
    north, _ = two_bakeries
    colleague = add_staff(app, north, email="pat@north.example", role="sales", name="Pat")
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/staff/{colleague}/disable"
    assert not _posts_to(client.get(f"/admin/{north.slug}/staff").get_data(True), url)
    _confirm(client, url, "Disable Pat?")
    with tenant_session(app, north.id) as session:
        assert session.get(StaffUser, (north.id, colleague)).status == "active"
    done = client.post(url, data={"confirmed": "yes"}, follow_redirects=True).get_data(True)
    assert "Pat is disabled." in done and "Enable Pat again" in done
    with tenant_session(app, north.id) as session:
        assert session.get(StaffUser, (north.id, colleague)).status == "disabled"
