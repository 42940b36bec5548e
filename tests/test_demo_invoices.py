"""The demo's invoices: Café Aurora has issued invoices (one overdue, one with a credit note,
one delivered short), numbered RR-<year>-0001.., once; the buyer sees them in the portal."""

from sqlalchemy import func, select

from config.clock import bakery_today
from config.root.demo import DEMO_PASSWORD, seed_demo
from tenants.models import Tenant
from tests.support.factories import tenant_session


def test_the_demo_gives_cafe_aurora_issued_invoices_once(app, client):
    from billing.models import CreditNote, Invoice, InvoiceLine
    from tenants.orders.models import Order

    seed_demo(app)
    seed_demo(app)  # safe to run again: no second set of invoices
    with app.app_context():
        from config.extensions import db

        tenant_ids = {t.slug: t.id for t in db.session.scalars(select(Tenant))}
    with tenant_session(app, tenant_ids["rosemary-rye"]) as session:
        tenant = session.get(Tenant, tenant_ids["rosemary-rye"])
        today = bakery_today(tenant)
        # Café Aurora's (Corner Deli's card-now invoice is tests/test_demo_card.py's).
        aurora = Invoice.mode != "card_at_checkout"
        invoices = list(session.scalars(select(Invoice).where(aurora).order_by(Invoice.sequence)))
        statuses = [i.status(today) for i in invoices]
        numbers = [i.number for i in invoices]
        credits = [(c.invoice_id, c.total_minor) for c in session.scalars(select(CreditNote))]
        second = (invoices[1].id, invoices[1].credited_minor)
        notes = list(session.scalars(select(InvoiceLine.note).where(InvoiceLine.note != "")))
        delivered = session.scalar(
            select(func.count()).select_from(Order).where(Order.status == "delivered")
        )
    # One invoice per delivered order: the demo's own four and the standing order's three weeks.
    assert len(invoices) == delivered == 7
    assert numbers[0].startswith("RR-") and numbers[0].endswith("-0001")
    assert "overdue" in statuses and "open" in statuses
    assert len(credits) == 1 and credits[0] == second and second[1] > 0
    assert any("short 2" in note for note in notes)
    with tenant_session(app, tenant_ids["little-crumb"]) as session:
        assert session.scalar(select(Invoice.id)) is None

    response = client.post(
        "/wholesale/rosemary-rye/login",
        data={"email": "owner@cafe-aurora.example", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    page = client.get("/wholesale/rosemary-rye/invoices").get_data(as_text=True)
    assert all(number in page for number in numbers)
    assert "Overdue" in page
