"""The demo's receivables: Café Aurora has a paid invoice, a part-paid one, overdue ones with a
reminder sent, and credit on account, once; staff see it on the ageing page, the buyer on
their statement."""

from sqlalchemy import select

from config.clock import bakery_today
from config.root.demo import DEMO_PASSWORD, seed_demo
from tenants.models import Tenant
from tests.support.factories import tenant_session


def test_the_demo_shows_paid_part_paid_overdue_and_credit_once(app):
    from billing.models import Invoice
    from billing.payments import account_credit
    from billing.receivables_models import InvoiceReminder, Payment
    from tenants.outbox import OutboundEmail

    seed_demo(app)
    seed_demo(app)  # safe to run again: no second set of payments
    with app.app_context():
        from config.extensions import db

        ids = {t.slug: t.id for t in db.session.scalars(select(Tenant))}
    with tenant_session(app, ids["rosemary-rye"]) as session:
        tenant = session.get(Tenant, ids["rosemary-rye"])
        # Café Aurora's (Corner Deli's card-now invoice is tests/test_demo_card.py's).
        aurora = Invoice.mode != "card_at_checkout"
        invoices = list(session.scalars(select(Invoice).where(aurora).order_by(Invoice.sequence)))
        statuses = [i.status(bakery_today(tenant)) for i in invoices]
        overdue = {i.id for i, s in zip(invoices, statuses, strict=True) if s == "overdue"}
        # The payments by hand (the demo's card payments are tested with the online demo).
        payments = len(list(session.scalars(select(Payment).where(Payment.method != "stripe"))))
        credit = account_credit(session, invoices[0].customer_id)
        reminded = set(session.scalars(select(InvoiceReminder.invoice_id)))
        mail = list(
            session.scalars(
                select(OutboundEmail.to_email).where(OutboundEmail.template == "payment_reminder")
            )
        )
    assert statuses[0] == "paid" and statuses[-1] == "partially_paid"
    assert "overdue" in statuses
    assert payments == 2 and credit == 1_000
    assert overdue and overdue <= reminded
    assert "owner@cafe-aurora.example" in mail
    with tenant_session(app, ids["little-crumb"]) as session:
        assert session.scalar(select(Payment.id)) is None


def test_the_demo_owner_and_buyer_see_the_receivables(app):
    seed_demo(app)
    staff = app.test_client()
    staff.post(
        "/admin/rosemary-rye/login",
        data={"email": "owner@rosemary-rye.example", "password": DEMO_PASSWORD},
    )
    ageing = staff.get("/admin/rosemary-rye/receivables").get_data(as_text=True)
    assert "Café Aurora" in ageing or "Aurora" in ageing
    assert "£10.00" in ageing  # the credit
    buyer = app.test_client()
    buyer.post(
        "/wholesale/rosemary-rye/login",
        data={"email": "owner@cafe-aurora.example", "password": DEMO_PASSWORD},
    )
    statement = buyer.get("/wholesale/rosemary-rye/statement").get_data(as_text=True)
    assert "days overdue" in statement and "£10.00" in statement
