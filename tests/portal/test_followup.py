"""The buyer's side of issue 14's follow-ups: the reminder email's link (GET shows Continue,
POST signs in and fills the cart from the last order), "notify me" and the bundled
back-in-stock email, and rating a delivered order."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, date, datetime, time

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from tests.jobs.helpers import run_job
from tests.support.catalog import add_product, tenant_of
from tests.support.factories import (
    add_contact,
    link_in,
    make_customer,
    sign_in_buyer,
    sign_in_staff,
    tenant_session,
)
from tests.support.html import page_text
from tests.support.orders import customer_row, make_cafe, mark_sold_out, set_days
from tests.tenants.orders.conftest import MONDAY, TUESDAY, Shop, place


@pytest.fixture
def shops(app, two_bakeries):
    """The ordering tests' two cafés (Tuesday/Thursday delivery, closing 14:00 the day
    before) on a frozen Monday morning, 7 December 2026."""
    with freeze_time(MONDAY):
        result = []
        for bakery in two_bakeries:
            set_days(app, bakery, {1: (1, time(14)), 3: (1, time(14))})
            result.append(Shop(bakery, make_cafe(app, bakery)))
        yield result


def field_error_for(page: str, field: str) -> str | None:
    """The error message shown next to `field` (its `<field>-error` paragraph)."""
    match = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    return html.unescape(match.group(1)) if match else None


def _monday_nine(app, shop):
    """Set the café's reminder to Monday 09:00 (bakery time)."""
    from tenants.orders.reminders import set_reminder_time

    with tenant_session(app, shop.bakery.id) as session:
        set_reminder_time(
            session,
            tenant_of(session, shop.bakery),
            actor=None,
            customer=customer_row(session, shop.ids["id"]),
            weekday=0,
            at=time(9, 0),
        )


def _remind(app, shop, mailbox, *, dispatch=True):
    """Set the café's reminder to Monday 09:00, run the scheduler at 09:05, return the email."""
    if dispatch:
        _monday_nine(app, shop)
        with freeze_time("2026-12-07 09:05"):
            run_job(app, "jobs.schedule.dispatch", None)
    found = [
        m
        for m in mailbox.messages
        if m["X-Envelope-To"] == "buyer@example.com"
        and shop.bakery.slug.split("-")[0].title() in m["Subject"]
        and ("Time to order" in m["Subject"] or "standing order" in m["Subject"])
    ]
    assert len(found) == 1, [m["Subject"] for m in mailbox.messages]
    return found[0]


def _cart(app, shop):
    from tenants.orders.cart import cart_lines, find_cart
    from tests.support.orders import contact_row

    with tenant_session(app, shop.bakery.id) as session:
        contact = contact_row(session, shop.ids["contact"])
        return sorted(
            (line.product_id, line.quantity)
            for line in cart_lines(session, find_cart(session, contact))
        )


def test_the_reminder_link_shows_continue_then_signs_in_with_the_last_order_in_the_cart(
    app, shops, mailbox
):
    north, south = shops
    place(app, north, [(north.ids["bread"], 10), (north.ids["roll"], 12)])
    place(app, south, [(south.ids["bread"], 3)])
    path = link_in(_remind(app, north, mailbox), "/reminder/")
    client = app.test_client()
    # A mail scanner's GET (twice) uses nothing up.
    for _ in range(2):
        page = client.get(path)
        assert page.status_code == 200 and b"Continue" in page.data
    assert _cart(app, north) == []
    # Another bakery's address with this token: refused.
    foreign = path.replace(f"/wholesale/{north.bakery.slug}/", f"/wholesale/{south.bakery.slug}/")
    assert app.test_client().post(foreign).status_code == 410
    answer = client.post(path)
    assert answer.status_code == 302 and answer.location.endswith(
        f"/wholesale/{north.bakery.slug}/cart"
    )
    assert _cart(app, north) == sorted([(north.ids["bread"], 10), (north.ids["roll"], 12)])
    cart = client.get(answer.location)
    assert b"is in your cart at today" in cart.data and b"Place order" in cart.data
    # Used once: a second POST is refused; the same signed-in browser's GET goes to the cart.
    assert app.test_client().post(path).status_code == 410
    assert client.get(path).status_code == 302
    assert _cart(app, south) == []


def test_price_changes_since_the_last_order_are_told_on_the_cart(app, shops, mailbox):
    from tenants.catalog.models import Product

    north, _ = shops
    place(app, north, [(north.ids["bread"], 10)])
    path = link_in(_remind(app, north, mailbox), "/reminder/")
    with tenant_session(app, north.bakery.id) as session:
        session.scalar(
            select(Product).where(Product.id == north.ids["bread"])
        ).base_price_minor = 300
    client = app.test_client()
    cart = client.post(path, follow_redirects=True)
    assert "Baguette: price up from €2.50 to €3.00." in cart.get_data(as_text=True)


# Back in stock ------------------------------------------------------------------------------


def _requests(app, bakery):
    from tenants.orders.followup_models import StockRequest

    with tenant_session(app, bakery.id) as session:
        return session.scalar(select(func.count()).select_from(StockRequest))


def test_two_products_back_make_one_email_and_the_requests_are_released(app, shops, mailbox):
    from tenants.catalog.models import Product, SoldOut

    north, south = shops
    stollen = add_product(
        app, north.bakery, sku="STO", name="Stollen", available_from=date(2026, 12, 20)
    )
    mark_sold_out(app, north.bakery, north.ids["roll"], TUESDAY)
    hidden = add_product(app, north.bakery, sku="OLD", name="Old loaf", active=False)
    client = app.test_client()
    sign_in_buyer(client, north.bakery, "buyer@example.com")
    page = client.get(f"/wholesale/{north.bakery.slug}/back-in-stock").get_data(as_text=True)
    assert "Stollen" in page and "Roll" in page and "Old loaf" not in page  # never ordered
    for product in (stollen, north.ids["roll"]):
        answer = client.post(
            f"/wholesale/{north.bakery.slug}/back-in-stock/{product}", data={"wanted": "1"}
        )
        assert answer.status_code == 302
    # Orderable now: nothing to ask for; withdrawn and never ordered: as if it did not exist.
    assert (
        client.post(
            f"/wholesale/{north.bakery.slug}/back-in-stock/{north.ids['bread']}",
            data={"wanted": "1"},
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/wholesale/{north.bakery.slug}/back-in-stock/{hidden}", data={"wanted": "1"}
        ).status_code
        == 404
    )
    # The same address asks at the other bakery about its own sold-out roll.
    mark_sold_out(app, south.bakery, south.ids["roll"], TUESDAY)
    other = app.test_client()
    sign_in_buyer(other, south.bakery, "buyer@example.com")
    other.post(
        f"/wholesale/{south.bakery.slug}/back-in-stock/{south.ids['roll']}", data={"wanted": "1"}
    )
    assert (_requests(app, north.bakery), _requests(app, south.bakery)) == (2, 1)

    def hourly():
        # A fresh occurrence each call, as the scheduler's every hour would be.
        for bakery in (north.bakery, south.bakery):
            period = uuid.uuid4().hex
            run_job(app, "jobs.schedule.run_periodic", str(bakery.id), "back_in_stock", period)

    mailbox.clear()
    hourly()
    assert mailbox.messages == [] and _requests(app, north.bakery) == 2
    with tenant_session(app, north.bakery.id) as session:  # both come back
        session.scalar(select(Product).where(Product.id == stollen)).available_from = None
        session.execute(SoldOut.__table__.delete().where(SoldOut.product_id == north.ids["roll"]))
    hourly()
    (message,) = mailbox.messages
    assert message["To"] == "Alex Buyer <buyer@example.com>" and "North Bakery" in message["From"]
    text = message.get_body(("plain",)).get_content()
    assert "- Roll\r\n- Stollen" in text
    assert (_requests(app, north.bakery), _requests(app, south.bakery)) == (0, 1)
    hourly()
    assert len(mailbox.messages) == 1  # released: told once


def test_a_buyer_can_stop_asking(app, shops):
    north, _ = shops
    mark_sold_out(app, north.bakery, north.ids["roll"], TUESDAY)
    client = app.test_client()
    sign_in_buyer(client, north.bakery, "buyer@example.com")
    url = f"/wholesale/{north.bakery.slug}/back-in-stock/{north.ids['roll']}"
    client.post(url, data={"wanted": "1"})
    assert _requests(app, north.bakery) == 1
    assert "We'll email you" in page_text(
        client.get(f"/wholesale/{north.bakery.slug}/back-in-stock")
    )
    client.post(url, data={"wanted": "0"})
    assert _requests(app, north.bakery) == 0


# Ratings ------------------------------------------------------------------------------------


def _deliver(app, shop, order_id):
    from tenants.orders.models import Order

    with tenant_session(app, shop.bakery.id) as session:
        session.scalar(select(Order).where(Order.id == order_id)).status = "delivered"


def _ratings(app, bakery):
    from tenants.orders.followup_models import OrderRating

    with tenant_session(app, bakery.id) as session:
        return [(r.score, r.comment) for r in session.scalars(select(OrderRating))]


def test_a_delivered_order_is_rated_1_to_5_with_errors_next_to_the_field(app, shops):
    north, south = shops
    order = place(app, north).order
    client = app.test_client()
    sign_in_buyer(client, north.bakery, "buyer@example.com")
    url = f"/wholesale/{north.bakery.slug}/orders/{order.id}/rating"
    early = client.post(url, data={"score": "4"})
    assert early.status_code == 422
    assert (
        field_error_for(early.get_data(as_text=True), "score")
        == "You can rate an order once it is delivered."
    )
    _deliver(app, north, order.id)
    page = client.get(f"/wholesale/{north.bakery.slug}/orders/{order.id}").get_data(as_text=True)
    assert "How was this delivery?" in page
    for bad in ("7", "", "x"):
        refused = client.post(url, data={"score": bad, "comment": "?"})
        assert refused.status_code == 422
        assert field_error_for(refused.get_data(as_text=True), "score") == "Choose 1 to 5 stars."
    long = client.post(url, data={"score": "3", "comment": "x" * 2001})
    assert long.status_code == 422 and "comment" in long.get_data(as_text=True)
    assert _ratings(app, north.bakery) == []
    assert client.post(url, data={"score": "4", "comment": "Crusty, on time"}).status_code == 302
    assert client.post(url, data={"score": "5", "comment": "Even better"}).status_code == 302
    assert _ratings(app, north.bakery) == [(5, "Even better")]
    page = client.get(f"/wholesale/{north.bakery.slug}/orders/{order.id}").get_data(as_text=True)
    assert "You rated it 5 out of 5." in page
    assert _ratings(app, south.bakery) == []


def test_another_customers_or_bakerys_order_cannot_be_rated(app, shops):
    north, south = shops
    other = make_customer(app, north.bakery, "Other Café")
    add_contact(app, north.bakery, other["id"], email="other@example.com")
    theirs = place(app, north).order
    _deliver(app, north, theirs.id)
    foreign = place(app, south).order
    _deliver(app, south, foreign.id)
    client = app.test_client()
    sign_in_buyer(client, north.bakery, "other@example.com")
    for order_id in (theirs.id, foreign.id):
        url = f"/wholesale/{north.bakery.slug}/orders/{order_id}/rating"
        assert client.post(url, data={"score": "1"}).status_code == 404
    assert _ratings(app, north.bakery) == _ratings(app, south.bakery) == []


def test_staff_see_ratings_per_customer_and_recent_comments_of_their_bakery_only(app, shops):
    north, south = shops
    for shop, comment in ((north, "North was late"), (south, "South was lovely")):
        order = place(app, shop).order
        _deliver(app, shop, order.id)
        buyer = app.test_client()
        sign_in_buyer(buyer, shop.bakery, "buyer@example.com")
        buyer.post(
            f"/wholesale/{shop.bakery.slug}/orders/{order.id}/rating",
            data={"score": "2", "comment": comment},
        )
    staff = app.test_client()
    sign_in_staff(staff, north.bakery)
    customer = staff.get(f"/admin/{north.bakery.slug}/customers/{north.ids['id']}").get_data(
        as_text=True
    )
    assert "Average <strong>2.0 / 5</strong> over 1 rated order." in customer
    assert "North was late" in customer
    feedback = staff.get(f"/admin/{north.bakery.slug}/feedback").get_data(as_text=True)
    assert "North was late" in feedback and "South was lovely" not in feedback


def test_staff_set_a_customers_reminder_time_with_errors_next_to_the_field(app, shops):
    north, south = shops
    staff = app.test_client()
    sign_in_staff(staff, north.bakery)
    url = f"/admin/{north.bakery.slug}/customers/{north.ids['id']}/reminder"
    page = staff.get(url).get_data(as_text=True)
    assert "Sat 12 Dec 2026, 14:00 GMT" in page or "12 Dec 2026, 14:00 GMT" in page
    bad = staff.post(url, data={"weekday": "0", "at": "25:99"})
    assert bad.status_code == 422
    assert field_error_for(bad.get_data(as_text=True), "at") == "Enter a time such as 14:00."
    assert staff.post(url, data={"weekday": "0", "at": "16:30"}).status_code == 302
    detail = staff.get(f"/admin/{north.bakery.slug}/customers/{north.ids['id']}").get_data(
        as_text=True
    )
    assert "Weekly reminder: Mon 16:30" in detail and "7 Dec 2026, 16:30 GMT" in detail
    assert staff.post(url, data={"weekday": ""}).status_code == 302
    assert "Weekly reminder: default" in staff.get(
        f"/admin/{north.bakery.slug}/customers/{north.ids['id']}"
    ).get_data(as_text=True)


def test_a_standing_order_customer_is_shown_the_coming_standing_order_not_a_filled_cart(
    app, shops, mailbox
):
    from tests.support.standing import make_standing

    north, south = shops
    place(app, north, [(north.ids["bread"], 10)])
    place(app, south, [(south.ids["bread"], 3)])
    standing_id = make_standing(
        app,
        north.bakery,
        north.ids,
        starts_on=date(2026, 12, 10),
        now=datetime(2026, 12, 7, 9, tzinfo=UTC),
        lines=[(north.ids["roll"], 24)],
    )
    _monday_nine(app, south)
    message = _remind(app, north, mailbox)
    # Thursday 10 December's occurrence, closing Wednesday 14:00; no last-order pre-fill.
    assert message["Subject"].strip() == (  # a long header may be folded before its first word
        "Your standing order from North Bakery: change or skip it by Wednesday 14:00"
    )
    text = message.get_body(("plain",)).get_content()
    assert "Your standing order delivers on 10 Dec 2026." in text and "- 24 × Roll" in text
    assert "One tap puts your last order" not in text
    client = app.test_client()
    path = link_in(message, "/reminder/")
    assert "see your coming standing order" in page_text(client.get(path))
    answer = client.post(path)
    assert answer.location.endswith(f"/wholesale/{north.bakery.slug}/standing/{standing_id}")
    assert _cart(app, north) == []
    # The other bakery's café, without a standing order, still gets its last order.
    other = _remind(app, south, mailbox, dispatch=False)
    assert "One tap puts your last order" in other.get_body(("plain",)).get_content()
