"""Least privilege and clear next steps in the back office: no preselected staff role, every
save says what happened, a contact can be saved and invited at once, a price far from the base
price is confirmed before it is saved, and price-list rows read as people say prices."""

from sqlalchemy import select

from tenants.catalog.models import PriceListEntry
from tenants.customers.models import Contact
from tenants.outbox import OutboundEmail
from tenants.staff.models import StaffUser
from tests.support.catalog import add_price_list, add_product
from tests.support.factories import make_customer, sign_in_staff, tenant_session


def test_the_invite_form_preselects_no_role_explains_them_and_refuses_none(
    app, client, two_bakeries
):
    north, _ = two_bakeries
    sign_in_staff(client, north)
    page = client.get(f"/admin/{north.slug}/staff").get_data(as_text=True)
    invite_select = page[page.index('<select id="role"') :].split("</select>")[0]
    assert '<option selected value="">Choose a role…</option>' in invite_select
    assert invite_select.count("selected") == 1
    assert (
        "Production (read-only)</dt><dd>" in page and "Invite staff and change their roles" in page
    )
    refused = client.post(
        f"/admin/{north.slug}/staff", data={"name": "Kim", "email": "kim@north.example"}
    )
    assert refused.status_code == 422
    assert 'id="role-error">Choose the role this person needs.' in refused.get_data(True)
    with tenant_session(app, north.id) as session:
        assert (
            session.scalar(select(StaffUser).where(StaffUser.email == "kim@north.example")) is None
        )


def test_saving_a_location_says_so(app, client, two_bakeries):
    north, _ = two_bakeries
    customer = make_customer(app, north)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{customer['id']}/locations/new"
    page = client.post(url, data={"name": "Pier"}, follow_redirects=True).get_data(True)
    assert "Location Pier added." in page


def test_a_contact_can_be_saved_and_invited_in_one_step_and_the_save_says_so(
    app, client, two_bakeries
):
    north, south = two_bakeries
    customer = make_customer(app, north)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{customer['id']}/contacts/new"
    form = client.get(url).get_data(as_text=True)
    assert 'name="and_invite" value="1">Save and send invitation' in form
    base = {"first_name": "Sam", "access_level": "organization", "grants": ["view_orders"]}
    saved = client.post(url, data={**base, "email": "sam@cafe.example"}, follow_redirects=True)
    assert "Sam added." in saved.get_data(as_text=True)
    invited = client.post(
        url,
        data={**base, "first_name": "Bo", "email": "bo@cafe.example", "and_invite": "1"},
        follow_redirects=True,
    )
    assert "Bo added; an invitation to the portal went to bo@cafe.example." in invited.get_data(
        as_text=True
    )
    with tenant_session(app, north.id) as session:
        states = {c.email: c.status for c in session.scalars(select(Contact))}
        sent = [m.to_email for m in session.scalars(select(OutboundEmail))]
    assert states == {"sam@cafe.example": "not_invited", "bo@cafe.example": "invited"}
    assert sent.count("bo@cafe.example") == 1 and "sam@cafe.example" not in sent
    with tenant_session(app, south.id) as session:
        assert session.scalar(select(Contact.id)) is None


def test_a_price_far_from_the_base_price_is_confirmed_before_it_is_saved(client, bakeries):
    north, _ = bakeries
    app = client.application
    product = add_product(app, north, price=340)
    price_list = add_price_list(app, north, "Cafés")
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/price-lists/{price_list}/entries"
    typo = {"product_id": str(product), "kind": "fixed", "value": "34.00"}  # a slipped point
    asked = client.post(url, data=typo)
    assert asked.status_code == 422
    page = asked.get_data(as_text=True)
    assert "€34.00 is more than 5 times Baguette&#39;s base price of €3.40" in page
    assert 'name="confirm_far"' in page
    low = client.post(url, data={**typo, "value": "0.50"})
    assert low.status_code == 422 and "under a fifth of" in low.get_data(as_text=True)
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(PriceListEntry.id)) is None
    assert client.post(url, data={**typo, "confirm_far": "y"}).status_code == 302
    assert client.post(url, data={**typo, "value": "3.10"}).status_code == 302  # near: no question
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(PriceListEntry.unit_price_minor)) == 310


def test_price_list_rows_read_base_price_percent_off_and_a_price_and_can_be_edited_in_place(
    client, bakeries
):
    north, _ = bakeries
    app = client.application
    a = add_product(app, north, sku="A-1", name="Rye", price=400)
    b = add_product(app, north, sku="B-1", name="Spelt", price=400)
    c = add_product(app, north, sku="C-1", name="Oat", price=400)
    price_list = add_price_list(
        app,
        north,
        "Cafés",
        entries=[(a, None, 0, []), (b, None, 10, []), (c, 170, None, [])],
    )
    sign_in_staff(client, north)
    page = client.get(f"/admin/{north.slug}/catalog/price-lists/{price_list}").get_data(True)
    assert ">Base price</td>" in page and ">10% off</td>" in page and ">€1.70</td>" in page
    assert ">0%</td>" not in page and ">1.70</td>" not in page
    # each row carries its own form, filled with its values, posting to the entry endpoint
    assert f'name="product_id" value="{c}"' in page and 'name="value" id="value-' in page
    assert f'id="value-{price_list}-{c}" value="1.70"' in page


def test_a_products_page_shows_its_price_on_each_list_and_edits_it_from_there(client, bakeries):
    north, _ = bakeries
    app = client.application
    product = add_product(app, north, price=400)
    cafes = add_price_list(app, north, "Cafés", entries=[(product, 170, None, [])])
    hotels = add_price_list(app, north, "Hotels")
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/catalog/products/{product}"
    page = client.get(url).get_data(as_text=True)
    assert "Cafés</a>:" in page and "<strong>€1.70</strong>" in page
    assert "Hotels</a>:" in page and "not on this list (base price)" in page
    assert 'name="return_to" value="product"' in page
    saved = client.post(
        f"/admin/{north.slug}/catalog/price-lists/{hotels}/entries",
        data={"product_id": str(product), "kind": "percent", "value": "10", "return_to": "product"},
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(url)
    again = client.get(url).get_data(as_text=True)
    assert "<strong>10% off</strong>" in again
    with tenant_session(app, north.id) as session:
        lists = {e.price_list_id for e in session.scalars(select(PriceListEntry))}
    assert lists == {cafes, hotels}
