"""Changing which price list or assortment a customer gets is in the customer's activity log,
and so is losing a price list when it is deleted (one entry per affected customer)."""

from sqlalchemy import select

from tenants.customers.models import CustomerActivity
from tests.support.catalog import add_assortment, add_price_list, add_product
from tests.support.factories import add_staff, make_customer, sign_in_staff, tenant_session


def _log(app, bakery, customer_id) -> list[str]:
    with tenant_session(app, bakery.id) as session:
        return list(
            session.scalars(
                select(CustomerActivity.summary).where(
                    CustomerActivity.customer_id == customer_id,
                    CustomerActivity.action == "customer.pricing_changed",
                )
            )
        )


def _south_customers(app, south):
    """The other bakery's customers: one on its own "Cafés" list, one following its default."""
    from tenants.catalog.models import PriceList

    with tenant_session(app, south.id) as session:
        cafes = session.scalar(select(PriceList.id).where(PriceList.name == "Cafés"))
    on_list = make_customer(app, south, "Café Aurora", price_list_id=cafes)["id"]
    follower = make_customer(app, south, "Farm Shop")["id"]
    return {on_list: cafes, follower: None}


def _untouched(app, south, customers) -> bool:
    """Whether the other bakery's customers kept their lists and got no pricing log entries."""
    from tenants.customers.models import Customer

    with tenant_session(app, south.id) as session:
        lists = {cid: session.get(Customer, (south.id, cid)).price_list_id for cid in customers}
    return lists == customers and all(_log(app, south, cid) == [] for cid in customers)


def test_assigning_a_price_list_and_assortment_is_logged_with_before_and_after_names(
    client, bakeries
):
    north, south = bakeries
    app = client.application
    bread = add_product(app, north)
    cafes = add_price_list(app, north, "Cafés")
    menu = add_assortment(app, north, "Breakfast menu", product_ids=[bread])
    aurora = make_customer(app, north)["id"]
    theirs = _south_customers(app, south)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{aurora}/pricing"
    client.post(url, data={"price_list_id": str(cafes), "assortment_id": str(menu)})
    client.post(url, data={"price_list_id": str(cafes), "assortment_id": str(menu)})  # no change
    assert _log(app, north, aurora) == [
        "Price list: the bakery's default list \u2192 Cafés; "
        "Assortment: the full active catalog \u2192 Breakfast menu"
    ]
    assert _untouched(app, south, theirs)


def test_deleting_a_price_list_logs_the_fallback_on_each_customer_that_was_on_it(client, bakeries):
    north, south = bakeries
    app = client.application
    theirs = _south_customers(app, south)
    cafes = add_price_list(app, north, "Cafés")
    add_price_list(app, north, "Standard", default=True)
    hotels = add_price_list(app, north, "Hotels")
    aurora = make_customer(app, north, "Café Aurora", price_list_id=cafes)["id"]
    deli = make_customer(app, north, "Corner Deli", price_list_id=cafes)["id"]
    inn = make_customer(app, north, "Harbour Inn", price_list_id=hotels)["id"]
    shop = make_customer(app, north, "Farm Shop")["id"]  # on the default, which stays
    sign_in_staff(client, north)
    assert client.post(f"/admin/{north.slug}/catalog/price-lists/{cafes}/delete").status_code == 302
    moved = (
        "Price list: Cafés \u2192 the bakery's default list (Standard) (price list Cafés deleted)"
    )
    assert _log(app, north, aurora) == [moved]
    assert _log(app, north, deli) == [moved]
    assert _log(app, north, inn) == [] and _log(app, north, shop) == []
    assert _untouched(app, south, theirs)


def test_deleting_the_default_list_logs_its_followers_falling_back_to_base_prices(client, bakeries):
    north, south = bakeries
    app = client.application
    theirs = _south_customers(app, south)  # its follower must not count as north's
    standard = add_price_list(app, north, "Standard", default=True)
    shop = make_customer(app, north, "Farm Shop")["id"]
    add_staff(app, north, email="manager@example.com", role="manager")
    sign_in_staff(client, north, "manager@example.com")
    client.post(f"/admin/{north.slug}/catalog/price-lists/{standard}/delete")
    assert _log(app, north, shop) == [
        "Price list: the bakery's default list (Standard) \u2192 base prices "
        "(price list Standard deleted)"
    ]
    assert _untouched(app, south, theirs)


def test_sales_staff_with_the_customers_permission_change_a_customers_pricing(client, bakeries):
    from tenants.customers.models import Customer

    north, _ = bakeries
    app = client.application
    cafes = add_price_list(app, north, "Cafés")
    aurora = make_customer(app, north)["id"]
    add_staff(app, north, email="sales@example.com", role="sales", name="Sam Sales")
    add_staff(app, north, email="baker@example.com", role="production")
    url = f"/admin/{north.slug}/customers/{aurora}/pricing"
    baker = app.test_client()
    sign_in_staff(baker, north, "baker@example.com")
    refused = baker.post(url, data={"price_list_id": str(cafes), "assortment_id": ""})
    assert refused.status_code == 403
    sign_in_staff(client, north, "sales@example.com")
    assert b"Save pricing" in client.get(url).data
    saved = client.post(url, data={"price_list_id": str(cafes), "assortment_id": ""})
    assert saved.status_code == 302
    with tenant_session(app, north.id) as session:
        assert session.get(Customer, (north.id, aurora)).price_list_id == cafes
        entry = session.scalar(
            select(CustomerActivity).where(CustomerActivity.action == "customer.pricing_changed")
        )
        assert entry.actor_name == "Sam Sales"
