"""The invoice pages: staff list, detail, PDF, void and credit note, record delivery; the buyer's
list, detail and PDF, scoped like orders; a contact without the permission sees nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from freezegun import freeze_time
from sqlalchemy import select

from tests.support.catalog import tenant_of
from tests.support.factories import add_contact, sign_in_buyer, sign_in_staff, tenant_session
from tests.support.invoices import delivered_order, order_line_ids
from tests.support.orders import customer_row

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _invoice(app, shop, *, location=None, qty=10, day=date(2026, 12, 3)):
    from billing.invoicing import issue_invoice
    from tenants.orders.models import Order

    order = delivered_order(
        app,
        shop.bakery,
        customer_id=shop.customer["id"],
        location_id=location or shop.main,
        day=day,
        lines=[(shop.bread, qty, None)],
    )
    with tenant_session(app, shop.bakery.id) as session:
        invoice = issue_invoice(
            session,
            tenant_of(session, shop.bakery),
            customer=customer_row(session, shop.customer["id"]),
            orders=[session.scalar(select(Order).where(Order.id == order))],
            mode="on_demand",
            now=NOW,
        )
        return invoice.id, invoice.number, order


def test_staff_list_detail_pdf_void_and_credit_note(app, client, shops):
    north, south = shops
    invoice_id, number, _ = _invoice(app, north)
    foreign_id, _, _ = _invoice(app, south)
    sign_in_staff(client, north.bakery)
    base = f"/admin/{north.bakery.slug}/invoices"
    page = client.get(base).get_data(as_text=True)
    assert number in page and "Café Aurora" in page
    assert client.get(f"{base}/{foreign_id}").status_code == 404
    detail = client.get(f"{base}/{invoice_id}").get_data(as_text=True)
    assert "Baguette" in detail and "Void invoice" in detail
    pdf = client.get(f"{base}/{invoice_id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get(f"{base}/{foreign_id}/pdf").status_code == 404

    from billing.models import InvoiceLine

    with tenant_session(app, north.bakery.id) as session:
        line_id = session.scalar(select(InvoiceLine.id).where(InvoiceLine.invoice_id == invoice_id))
    refused = client.post(
        f"{base}/{invoice_id}/credit", data={f"qty-{line_id}": "11", "reason": "x"}
    )
    assert refused.status_code == 422 and "between 0 and 10" in refused.get_data(as_text=True)
    done = client.post(
        f"{base}/{invoice_id}/credit", data={f"qty-{line_id}": "2", "reason": "Burnt"}
    )
    assert done.status_code == 302
    assert "CN-2026-0001" in client.get(f"{base}/{invoice_id}").get_data(as_text=True)

    confirm = client.get(f"{base}/{invoice_id}/void")
    assert confirm.status_code == 200 and "Void invoice" in confirm.get_data(as_text=True)
    assert client.post(f"{base}/{invoice_id}/void", data={"reason": ""}).status_code == 422
    assert (
        client.post(
            f"{base}/{invoice_id}/void", data={"reason": "Wrong", "confirmed": "yes"}
        ).status_code
        == 302
    )
    assert "Void since" in client.get(f"{base}/{invoice_id}").get_data(as_text=True)


def test_staff_record_a_short_and_invoice_now(app, client, shops):
    north, _ = shops
    order = delivered_order(
        app,
        north.bakery,
        customer_id=north.customer["id"],
        location_id=north.main,
        day=date(2026, 12, 3),
        lines=[(north.bread, 20, None)],
    )
    (line,) = order_line_ids(app, north.bakery, order)
    sign_in_staff(client, north.bakery)
    url = f"/admin/{north.bakery.slug}/orders/{order}/delivery"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={f"delivered-{line}": "21", f"returned-{line}": "0"})
    assert bad.status_code == 422
    ok = client.post(
        url, data={f"delivered-{line}": "18", f"returned-{line}": "0", "reason": "Oven"}
    )
    assert ok.status_code == 302
    assert "Short" in client.get(f"/admin/{north.bakery.slug}/orders/{order}").get_data(
        as_text=True
    )
    made = client.post(
        f"/admin/{north.bakery.slug}/invoices/new", data={"customer_id": str(north.customer["id"])}
    )
    assert made.status_code == 302
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "ordered 20, delivered 18" in page


def test_a_buyer_sees_their_invoices_and_not_another_customers(app, client, shops):
    from tests.billing.conftest import make_shop

    north, south = shops
    other = make_shop(app, north.bakery, name="Other Café", email="other@example.com", sku="-B")
    invoice_id, number, order = _invoice(app, north)
    others_id, _, _ = _invoice(app, other)
    foreign_id, _, _ = _invoice(app, south)
    sign_in_buyer(client, north.bakery, "billing@example.com")
    base = f"/wholesale/{north.bakery.slug}/invoices"
    page = client.get(base).get_data(as_text=True)
    assert number in page and "/invoices" in page
    assert client.get(f"{base}/{invoice_id}").status_code == 200
    assert client.get(f"{base}/{invoice_id}/pdf").data.startswith(b"%PDF")
    for hidden in (others_id, foreign_id):
        assert client.get(f"{base}/{hidden}").status_code == 404
        assert client.get(f"{base}/{hidden}/pdf").status_code == 404


def test_totals_due_and_overdue_and_the_status_filter(app, client, shops):
    north, _ = shops
    _invoice(app, north, qty=10)  # 2675, due 21 Dec
    sign_in_buyer(client, north.bakery, "billing@example.com")
    base = f"/wholesale/{north.bakery.slug}/invoices"
    with freeze_time("2026-12-22 12:00"):
        page = client.get(base).get_data(as_text=True)
        assert 'id="total-overdue"' in page and "€26.75" in page.split('id="total-overdue"')[1][:80]
        assert "INV-2026-0001" in client.get(f"{base}?status=overdue").get_data(as_text=True)
        assert "INV-2026-0001" not in client.get(f"{base}?status=paid").get_data(as_text=True)


def test_a_location_level_contact_sees_only_their_locations_invoices(app, client, shops):
    north, _ = shops
    add_contact(
        app,
        north.bakery,
        north.customer["id"],
        email="harbour@example.com",
        access_level="location",
        location_id=north.harbour,
        grants=("view_invoices",),
    )
    main_id, main_number, _ = _invoice(app, north, location=north.main)
    harbour_id, harbour_number, _ = _invoice(app, north, location=north.harbour)
    sign_in_buyer(client, north.bakery, "harbour@example.com")
    base = f"/wholesale/{north.bakery.slug}/invoices"
    page = client.get(base).get_data(as_text=True)
    assert harbour_number in page and main_number not in page
    assert client.get(f"{base}/{harbour_id}").status_code == 200
    assert client.get(f"{base}/{main_id}").status_code == 404


def test_a_contact_without_the_permission_sees_no_invoice_anywhere(app, client, shops, mailbox):
    north, _ = shops
    add_contact(
        app,
        north.bakery,
        north.customer["id"],
        email="buyer@example.com",
        grants=("view_orders", "create_orders"),
    )
    invoice_id, _, order = _invoice(app, north)
    sign_in_buyer(client, north.bakery, "buyer@example.com")
    base = f"/wholesale/{north.bakery.slug}"
    assert "/invoices" not in client.get(f"{base}/orders").get_data(as_text=True)
    assert client.get(f"{base}/invoices").status_code == 403
    assert client.get(f"{base}/invoices/{invoice_id}").status_code == 403
    # The invoice email went to the billing contact only, with the PDF attached.
    from tenants.outbox import OutboundEmail

    with tenant_session(app, north.bakery.id) as session:
        rows = session.scalars(
            select(OutboundEmail).where(OutboundEmail.template == "invoice_issued")
        ).all()
        assert [r.to_email for r in rows] == ["billing@example.com"]
        assert rows[0].attachment == {"kind": "invoice_pdf", "id": str(invoice_id)}


def test_the_buyers_invoice_list_sends_as_many_statements_for_2_as_for_12(app, client, shops):
    from config.extensions import db
    from tests.support.queries import count_queries

    north, south = shops
    sign_in_buyer(client, north.bakery, "billing@example.com")
    url = f"/wholesale/{north.bakery.slug}/invoices"

    def invoices(count):
        for _ in range(count):
            _invoice(app, north)
            _invoice(app, south)

    def statements():
        with app.app_context():
            engine = db.engine
        with count_queries(engine) as counter:
            assert client.get(url).status_code == 200
        return counter.count

    invoices(2)
    client.get(url)
    few = statements()
    invoices(10)
    assert statements() == few > 0
