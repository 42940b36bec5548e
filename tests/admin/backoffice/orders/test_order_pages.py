"""The staff ordering pages: the list with filters, CSV and bulk status, an order with its
timeline, the review queue's decisions, the order desk, the home panel and the calendar page.
Two bakeries with the same café and products take orders side by side."""

from __future__ import annotations

import csv
import io
import re
from datetime import time

from sqlalchemy import select

from tests.support.factories import add_staff, sign_in_staff, tenant_session
from tests.support.html import page_text as _html
from tests.support.orders import customer_row
from tests.tenants.orders.conftest import THURSDAY, TUESDAY, place


def page_text(response) -> str:
    """The page's words as a person reads them: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", _html(response)).split()).replace(" .", ".")


def _staff(app, client, bakery, role="sales", email="desk@example.com"):
    add_staff(app, bakery, email=email, role=role, name="Dana Desk")
    sign_in_staff(client, bakery, email)
    return client


def _order(app, bakery, order_id):
    from tenants.orders.models import Order

    with tenant_session(app, bakery.id) as session:
        order = session.scalar(select(Order).where(Order.id == order_id))
        session.expunge(order)
        return order


def _approval_required(app, shop):
    with tenant_session(app, shop.bakery.id) as session:
        customer_row(session, shop.ids["id"]).order_approval_required = True


def test_the_orders_list_shows_only_this_bakerys_orders_filtered_by_date_and_status(app, shops):
    north, south = shops
    tuesday = place(app, north).order
    thursday = place(app, north, delivery_date=THURSDAY).order
    place(app, south)
    client = _staff(app, app.test_client(), north.bakery)
    slug = north.bakery.slug
    every = page_text(client.get(f"/admin/{slug}/orders"))
    assert "Orders (2)" in every and "Café Aurora" in every
    only_thursday = page_text(
        client.get(f"/admin/{slug}/orders?delivery_from={THURSDAY}&delivery_until={THURSDAY}")
    )
    assert f"Order {thursday.number}" in only_thursday and "Orders (1)" in only_thursday
    assert "Orders (0)" in page_text(client.get(f"/admin/{slug}/orders?status=delivered"))
    staff_source = page_text(client.get(f"/admin/{slug}/orders?source=staff"))
    assert "Orders (0)" in staff_source
    assert f"Order {tuesday.number}" in page_text(
        client.get(f"/admin/{slug}/orders?source=wholesale_portal&sort=customer")
    )
    # a garbled filter is ignored by its field, never a 500
    assert client.get(f"/admin/{slug}/orders?delivery_from=soon&customer_id=x").status_code == 200


def test_the_csv_export_has_the_filtered_orders_with_their_totals(app, shops):
    north, south = shops
    place(app, north)
    thursday = place(app, north, delivery_date=THURSDAY).order
    place(app, south, delivery_date=THURSDAY)
    client = _staff(app, app.test_client(), north.bakery)
    response = client.get(f"/admin/{north.bakery.slug}/orders/export.csv?delivery_from={THURSDAY}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["number"], r["delivery_date"], r["customer"]) for r in rows] == [
        (str(thursday.number), THURSDAY.isoformat(), "Café Aurora")
    ]
    # 10 baguettes at 2.50 with 7% tax
    assert (rows[0]["subtotal"], rows[0]["tax"], rows[0]["total"]) == ("25.00", "1.75", "26.75")
    assert rows[0]["source"] == "Wholesale portal" and rows[0]["status"] == "Confirmed"


def test_bulk_status_moves_the_ticked_orders_and_names_those_it_cannot(app, shops):
    north, south = shops
    first = place(app, north).order
    second = place(app, north, delivery_date=THURSDAY).order
    client = _staff(app, app.test_client(), north.bakery)
    slug = north.bakery.slug
    client.post(f"/admin/{slug}/orders/{first.id}/cancel-not-a-route")  # harmless 404
    response = client.post(
        f"/admin/{slug}/orders/bulk-status",
        data={"order_ids": [str(first.id), str(second.id)], "to": "in_production"},
        follow_redirects=True,
    )
    text = page_text(response)
    assert f"In production: orders {first.number}, {second.number}." in text
    response = client.post(
        f"/admin/{slug}/orders/bulk-status",
        data={"order_ids": [str(first.id)], "to": "delivered"},
        follow_redirects=True,
    )
    assert f"Order {first.number} is in production and cannot become delivered." in page_text(
        response
    )
    assert _order(app, north.bakery, first.id).status == "in_production"
    # another bakery's order among the ticked ones: nothing changes, 404
    theirs = place(app, south).order
    response = client.post(
        f"/admin/{slug}/orders/bulk-status",
        data={"order_ids": [str(second.id), str(theirs.id)], "to": "out_for_delivery"},
    )
    assert response.status_code == 404
    assert _order(app, north.bakery, second.id).status == "in_production"
    assert _order(app, south.bakery, theirs.id).status == "confirmed"


def test_staff_see_an_order_with_its_prices_and_timeline_and_move_its_status(app, shops):
    north, _ = shops
    order = place(app, north).order
    client = _staff(app, app.test_client(), north.bakery)
    url = f"/admin/{north.bakery.slug}/orders/{order.id}"
    text = page_text(client.get(url))
    assert "Baguette" in text and "€26.75" in text and "Placed" in text and "Alex Buyer" in text
    response = client.post(
        f"{url}/status", data={"to": "in_production", "version": "1"}, follow_redirects=True
    )
    assert "is now in production" in page_text(response)
    stale = client.post(
        f"{url}/status", data={"to": "out_for_delivery", "version": "1"}, follow_redirects=True
    )
    assert "This order was changed by Dana Desk" in page_text(stale)
    assert _order(app, north.bakery, order.id).status == "in_production"


def test_the_review_queue_flags_a_possible_duplicate_and_approves_from_the_queue(
    app, shops, mailbox
):
    north, _ = shops
    _approval_required(app, north)
    first = place(app, north).order
    second = place(app, north, allow_second_order=True).order  # same day and place
    other_day = place(app, north, delivery_date=THURSDAY).order
    client = _staff(app, app.test_client(), north.bakery)
    slug = north.bakery.slug
    queue = client.get(f"/admin/{slug}/orders/review").get_data(as_text=True)
    for order in (first, second, other_day):
        assert f'id="review-{order.number}"' in queue
    flagged = [
        n
        for n in (first.number, second.number, other_day.number)
        if f'class="card review-card duplicate" id="review-{n}"' in queue
    ]
    assert flagged == [first.number, second.number]
    mailbox.clear()
    response = client.post(
        f"/admin/{slug}/orders/{other_day.id}/approve",
        data={"version": "1", "from": "queue"},
    )
    assert response.status_code == 302 and response.location.endswith("/orders/review")
    assert _order(app, north.bakery, other_day.id).status == "confirmed"
    assert [m["Subject"] for m in mailbox.messages] == [f"Order {other_day.number}: Confirmed"]


def test_a_reviewer_changes_a_quantity_and_a_price_before_approving_and_it_is_recorded(
    app, shops, mailbox
):
    from tenants.orders.queries import order_lines
    from tenants.orders.timeline import order_timeline

    north, _ = shops
    _approval_required(app, north)
    order = place(app, north).order
    client = _staff(app, app.test_client(), north.bakery)
    url = f"/admin/{north.bakery.slug}/orders/{order.id}"
    with tenant_session(app, north.bakery.id) as session:
        line_id = str(order_lines(session, _order(app, north.bakery, order.id))[0].id)
    # a refused quantity is shown next to the line and nothing is written
    refused = client.post(
        f"{url}/approve", data={"version": "1", f"qty-{line_id}": "-3", f"price-{line_id}": "2.50"}
    )
    assert refused.status_code == 422
    assert "A quantity cannot be negative." in page_text(refused)
    assert _order(app, north.bakery, order.id).status == "pending_review"
    mailbox.clear()
    response = client.post(
        f"{url}/approve",
        data={"version": "1", f"qty-{line_id}": "12", f"price-{line_id}": "2.00"},
    )
    assert response.status_code == 302
    saved = _order(app, north.bakery, order.id)
    assert saved.status == "confirmed"
    assert (saved.subtotal_minor, saved.total_minor) == (2400, 2400 + 168)
    with tenant_session(app, north.bakery.id) as session:
        line = order_lines(session, saved)[0]
        assert (line.quantity, line.unit_price_minor, line.price_rule) == (12, 200, "manual")
        notes = [(e.kind, e.actor_name, e.note) for e in order_timeline(session, saved)]
    assert ("edited", "Dana Desk", "Baguette: quantity 10 → 12, unit price €2.50 → €2.00") in notes
    body = mailbox.messages[0].get_body(("plain",)).get_content()
    assert mailbox.messages[0]["Subject"] == f"Order {order.number}: Confirmed" and "12" in body


def test_a_rejection_needs_a_reason_and_the_buyer_is_emailed_it(app, shops, mailbox):
    north, _ = shops
    _approval_required(app, north)
    order = place(app, north).order
    client = _staff(app, app.test_client(), north.bakery)
    url = f"/admin/{north.bakery.slug}/orders/{order.id}"
    missing = client.post(f"{url}/reject", data={"version": "1", "reason": ""})
    assert missing.status_code == 422 and "Say why, so the buyer knows." in page_text(missing)
    mailbox.clear()
    client.post(f"{url}/reject", data={"version": "1", "reason": "No van on Tuesday"})
    assert _order(app, north.bakery, order.id).status == "rejected"
    (message,) = mailbox.messages
    assert "No van on Tuesday" in message.get_body(("plain",)).get_content()


def test_the_order_desk_places_a_staff_order_and_a_cutoff_override_needs_a_reason(
    app, shops, frozen
):
    from tenants.orders.timeline import order_timeline

    north, south = shops
    client = _staff(app, app.test_client(), north.bakery)
    slug, cafe = north.bakery.slug, north.ids
    page = client.get(f"/admin/{slug}/orders/new?customer_id={cafe['id']}")
    assert page.status_code == 200 and "Baguette" in page_text(page)
    # another bakery's customer: 404
    assert client.get(f"/admin/{slug}/orders/new?customer_id={south.ids['id']}").status_code == 404
    form = {
        "location_id": str(cafe["locations"]["Harbour"]),
        "delivery_date": TUESDAY.isoformat(),
        f"qty-{cafe['roll']}": "7",
        "idempotency_key": "desk-key-1",
    }
    refused = client.post(f"/admin/{slug}/orders/new?customer_id={cafe['id']}", data=form)
    assert refused.status_code == 422
    assert "Roll comes in steps of 6 from 6: try 6 or 12." in page_text(refused)
    form[f"qty-{cafe['roll']}"] = "12"
    frozen.move_to("2026-12-07 15:00")  # past Tuesday's cut-off (Monday 14:00)
    late = client.post(f"/admin/{slug}/orders/new?customer_id={cafe['id']}", data=form)
    assert late.status_code == 422 and "give the reason for overriding the cut-off" in page_text(
        late
    )
    form["cutoff_override_reason"] = "Called at 14:05, van has room"
    placed = client.post(f"/admin/{slug}/orders/new?customer_id={cafe['id']}", data=form)
    assert placed.status_code == 302
    again = client.post(f"/admin/{slug}/orders/new?customer_id={cafe['id']}", data=form)
    assert again.location == placed.location  # a double submit makes one order
    from tenants.orders.models import Order

    with tenant_session(app, north.bakery.id) as session:
        (order,) = session.scalars(select(Order)).all()
        assert (order.source, order.placed_by_name) == ("staff", "Dana Desk")
        overrides = [
            (e.actor_name, e.note)
            for e in order_timeline(session, order)
            if e.kind == "cutoff_override"
        ]
    assert overrides == [("Dana Desk", "Called at 14:05, van has room")]


def test_roles_without_the_orders_or_customers_permission_are_refused(app, shops):
    north, _ = shops
    order = place(app, north).order
    slug = north.bakery.slug
    production = _staff(app, app.test_client(), north.bakery, role="production")
    # production sees orders_view but not customers' prices
    assert production.get(f"/admin/{slug}/orders").status_code == 403
    assert production.get(f"/admin/{slug}/orders/{order.id}").status_code == 403
    assert production.get(f"/admin/{slug}/orders/review").status_code == 403
    accounts = _staff(app, app.test_client(), north.bakery, role="accounts", email="a@example.com")
    assert accounts.get(f"/admin/{slug}/orders").status_code == 200
    for url, data in (
        (f"/admin/{slug}/orders/{order.id}/status", {"to": "in_production", "version": "1"}),
        (f"/admin/{slug}/orders/{order.id}/approve", {"version": "1"}),
        (f"/admin/{slug}/orders/{order.id}/reject", {"version": "1", "reason": "x"}),
        (f"/admin/{slug}/orders/bulk-status", {"order_ids": [str(order.id)], "to": "delivered"}),
        (f"/admin/{slug}/orders/new?customer_id={north.ids['id']}", {}),
    ):
        assert accounts.post(url, data=data).status_code == 403, url
    assert accounts.get(f"/admin/{slug}/orders/new").status_code == 403
    assert accounts.get(f"/admin/{slug}/settings/delivery").status_code == 403
    assert _order(app, north.bakery, order.id).status == "confirmed"


def test_the_home_page_counts_tomorrows_deliveries_reviews_and_orders_since_the_last_visit(
    app, shops, frozen
):
    north, south = shops
    place(app, north)  # Tuesday = tomorrow (frozen on Monday)
    place(app, south)
    client = _staff(app, app.test_client(), north.bakery)
    home = page_text(client.get(f"/admin/{north.bakery.slug}/"))
    assert "Tomorrow 1 deliveries · €26.75" in home
    assert "New since yesterday 1 orders placed" in home
    # Thursday's cut-off (Wednesday 14:00) is more than 12 hours away; Tuesday's is at 14:00
    assert "Orders for Tuesday, 8 December close" in home
    frozen.tick(60)
    _approval_required(app, north)
    place(app, north, delivery_date=THURSDAY)
    again = page_text(client.get(f"/admin/{north.bakery.slug}/"))
    assert "New since your last visit 1 orders placed" in again
    assert "Waiting for review 1" in again


def test_the_delivery_calendar_page_saves_days_and_cutoffs_and_closures(app, shops, frozen):
    from tenants.orders.models import Closure, DeliveryDay

    north, south = shops
    client = _staff(app, app.test_client(), north.bakery, role="manager")
    url = f"/admin/{north.bakery.slug}/settings/delivery"
    page = client.get(url)
    assert page.status_code == 200 and "Deliver on Tuesdays" in page_text(page)
    none = client.post(f"{url}/days", data={})
    assert none.status_code == 422 and "Choose at least one delivery day." in page_text(none)
    bad = client.post(f"{url}/days", data={"on_2": "y", "days_before_2": "20", "cutoff_2": "10:00"})
    assert bad.status_code == 422 and "0 to 14 days." in page_text(bad)
    saved = client.post(
        f"{url}/days", data={"on_2": "y", "days_before_2": "2", "cutoff_2": "10:30"}
    )
    assert saved.status_code == 302
    with tenant_session(app, north.bakery.id) as session:
        days = [
            (d.weekday, d.cutoff_days_before, d.cutoff_time)
            for d in session.scalars(select(DeliveryDay))
        ]
    assert days == [(2, 2, time(10, 30))]
    wrong = client.post(
        f"{url}/closures",
        data={"first_day": "2026-12-27", "last_day": "2026-12-24", "reason": "Christmas"},
    )
    assert wrong.status_code == 422 and "The last day comes before the first." in page_text(wrong)
    client.post(
        f"{url}/closures",
        data={"first_day": "2026-12-24", "last_day": "2026-12-27", "reason": "Christmas"},
    )
    assert "Christmas" in page_text(client.get(url))
    with tenant_session(app, north.bakery.id) as session:
        closure_id = session.scalar(select(Closure.id))
    client.post(f"{url}/closures/{closure_id}/remove")
    with tenant_session(app, north.bakery.id) as session:
        assert session.scalar(select(Closure.id)) is None
    with tenant_session(app, south.bakery.id) as session:  # the other bakery keeps its days
        assert {d.weekday for d in session.scalars(select(DeliveryDay))} == {1, 3}


def test_a_buyers_question_about_an_order_shows_on_the_staff_order_page(app, shops):
    from config.clock import utcnow
    from tenants.orders.messages import ask_bakery
    from tenants.orders.queries import get_order
    from tests.support.catalog import tenant_of
    from tests.support.orders import contact_row

    north, _ = shops
    order = place(app, north).order
    with tenant_session(app, north.bakery.id) as session:
        ask_bakery(
            session,
            tenant_of(session, north.bakery),
            contact=contact_row(session, north.ids["contact"]),
            order=get_order(session, order.id),
            message="Could you add 6 rolls? We have a party.",
            now=utcnow(),
        )
    client = _staff(app, app.test_client(), north.bakery)
    text = page_text(client.get(f"/admin/{north.bakery.slug}/orders/{order.id}"))
    assert "Messages from the buyer Alex Buyer" in text
    assert "Could you add 6 rolls? We have a party." in text
