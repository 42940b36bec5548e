"""The demo's online payments: Rosemary & Rye has a paid, a declined, a disputed and a partly
refunded card payment on Café Aurora's invoices, once, with the money on the invoices and the
payments as the webhooks would have left it, no reminder on an invoice paid by card, and the
owner sees the ones to follow up on the attempts page (Stripe off, as the demo runs)."""

from sqlalchemy import select

from config.clock import bakery_today
from config.root.demo import DEMO_PASSWORD, seed_demo
from tenants.models import Tenant
from tests.support.factories import tenant_session
from tests.support.html import page_text


def _ids(app) -> dict:
    with app.app_context():
        from config.extensions import db

        return {t.slug: t.id for t in db.session.scalars(select(Tenant))}


def test_the_demo_has_four_card_payment_attempts_once_with_the_money_in_step(app):
    from billing.models import Invoice
    from billing.online_models import OnlinePayment, OnlinePaymentInvoice
    from billing.payments import account_credit
    from billing.receivables_models import InvoiceReminder, Payment

    seed_demo(app)
    seed_demo(app)  # safe to run again: no second set of attempts or payments
    ids = _ids(app)
    with tenant_session(app, ids["rosemary-rye"]) as session:
        tenant = session.get(Tenant, ids["rosemary-rye"])
        today = bakery_today(tenant)
        attempts = {
            a.payment_intent_id: a
            for a in session.scalars(select(OnlinePayment).order_by(OnlinePayment.created_at))
        }
        invoice_of = dict(
            session.execute(
                select(OnlinePaymentInvoice.online_payment_id, Invoice).join(
                    Invoice, Invoice.id == OnlinePaymentInvoice.invoice_id
                )
            ).all()
        )
        card = {
            p.stripe_payment_intent_id: (p.amount_minor, p.allocated_minor, p.is_void)
            for p in session.scalars(select(Payment).where(Payment.method == "stripe"))
        }
        # Café Aurora's (Corner Deli's card-now invoice is tests/test_demo_card.py's).
        aurora = Invoice.mode != "card_at_checkout"
        invoices = list(session.scalars(select(Invoice).where(aurora).order_by(Invoice.sequence)))
        statuses = [i.status(today) for i in invoices]
        reminded = set(session.scalars(select(InvoiceReminder.invoice_id)))
        credit = account_credit(session, invoices[0].customer_id)
        facts = {
            pi: (
                a.status,
                a.failure_message,
                a.dispute_status,
                a.refunded_minor,
                invoice_of[a.id].paid_minor,
                invoice_of[a.id].balance_minor,
                a.amount_minor,
                invoice_of[a.id].id in reminded,
                a.created_at <= (a.completed_at or a.created_at),
            )
            for pi, a in attempts.items()
        }
    assert set(attempts) == {
        "pi_demo_rr_0001",
        "pi_demo_rr_0002",
        "pi_demo_rr_0003",
        "pi_demo_rr_0004",
    }
    declined, refunded, paid, disputed = (facts[f"pi_demo_rr_000{n}"] for n in (1, 2, 3, 4))
    # A declined card: no money moved, the invoice still owes all of it.
    assert declined[:4] == ("failed", "Your card was declined.", "", 0)
    assert declined[4] == 0 and declined[5] == declined[6]
    # Paid, then partly refunded: the invoice owes the refund again, the payment is smaller.
    assert refunded[0] == "succeeded" and 0 < refunded[3] < refunded[6]
    assert refunded[5] == refunded[3] and refunded[4] == refunded[6] - refunded[3]
    assert card["pi_demo_rr_0002"] == (refunded[6] - refunded[3],) * 2 + (False,)
    # Paid in full, and paid but disputed (open: the invoice stays paid): no reminder for them.
    for done in (paid, disputed):
        assert done[0] == "succeeded" and done[5] == 0 and done[4] == done[6]
        assert done[7] is False
    assert disputed[2] == "needs_response" and paid[2] == ""
    assert card["pi_demo_rr_0003"] == (paid[6], paid[6], False)
    assert all(f[8] for f in facts.values())
    # The receivables demo's picture holds: paid oldest, part-paid newest, overdue, open, credit.
    assert statuses[0] == "paid" and statuses[-1] == "partially_paid"
    assert "overdue" in statuses and "open" in statuses and credit == 1_000
    with tenant_session(app, ids["little-crumb"]) as session:
        assert session.scalar(select(OnlinePayment.id)) is None


def test_the_demo_owner_sees_them_on_the_attempts_page_with_stripe_off(app):
    seed_demo(app)
    staff = app.test_client()
    staff.post(
        "/admin/rosemary-rye/login",
        data={"email": "owner@rosemary-rye.example", "password": DEMO_PASSWORD},
    )
    response = staff.get("/admin/rosemary-rye/online-payments/attempts")
    assert response.status_code == 200
    text = page_text(response)
    assert "Online payments are off on this platform" in text
    assert "Your card was declined." in text
    assert "Disputed: needs a response" in text
    assert "pi_demo_rr_0001" in text and "pi_demo_rr_0002" in text and "pi_demo_rr_0004" in text
    assert "pi_demo_rr_0003" not in text  # paid and nothing to follow up
    assert "Aurora" in text and "RR-" in text
    every = page_text(staff.get("/admin/rosemary-rye/online-payments/attempts?show=all"))
    assert "pi_demo_rr_0003" in every
    # The buyer's invoice list shows the refund and the dispute, as the webhooks leave them.
    buyer = app.test_client()
    buyer.post(
        "/wholesale/rosemary-rye/login",
        data={"email": "owner@cafe-aurora.example", "password": DEMO_PASSWORD},
    )
    invoices = page_text(buyer.get("/wholesale/rosemary-rye/invoices"))
    assert "Card payment disputed" in invoices and "Refunded £" in invoices
    little = app.test_client()
    little.post(
        "/admin/little-crumb/login",
        data={"email": "owner@little-crumb.example", "password": DEMO_PASSWORD},
    )
    theirs = page_text(little.get("/admin/little-crumb/online-payments/attempts?show=all"))
    assert "pi_demo" not in theirs and "Aurora" not in theirs
