"""The demo's card-now state: Rosemary & Rye offers both at checkout, one of Corner Deli's orders
waits for its card payment with its invoice issued, its buyer sees it with a way to cancel (Stripe
is off in the demo, so no pay button), and a second seed adds nothing."""

from sqlalchemy import select

from config.root.demo import DEMO_PASSWORD, seed_demo
from tenants.models import Tenant
from tests.support.factories import tenant_session
from tests.support.html import page_text


def test_the_demo_has_an_order_awaiting_its_card_payment(app):
    from billing.models import Invoice
    from config.extensions import db
    from tenants.orders.models import Order

    seed_demo(app)
    seed_demo(app)
    with app.app_context():
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "rosemary-rye"))
        other_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "little-crumb"))
    with tenant_session(app, tenant_id) as session:
        (order,) = session.scalars(select(Order).where(Order.payment_method == "card"))
        assert order.status == "awaiting_payment"
        invoice = session.scalar(select(Invoice).where(Invoice.order_id == order.id))
        assert invoice.mode == "card_at_checkout" and invoice.total_minor == order.total_minor
        assert invoice.balance_minor == invoice.total_minor
        number, order_id = order.number, order.id
    with tenant_session(app, other_id) as session:
        assert session.scalar(select(Order.id).where(Order.payment_method == "card")) is None

    buyer = app.test_client()
    buyer.post(
        "/wholesale/rosemary-rye/login",
        data={"email": "orders@corner-deli.example", "password": DEMO_PASSWORD},
    )
    page = page_text(buyer.get(f"/wholesale/rosemary-rye/orders/{order_id}"))
    assert "Waiting for your card payment" in page and "Cancel this order" in page
    assert "Pay now" not in page  # Stripe is off in the demo
    staff = app.test_client()
    staff.post(
        "/admin/rosemary-rye/login",
        data={"email": "owner@rosemary-rye.example", "password": DEMO_PASSWORD},
    )
    home = " ".join(page_text(staff.get("/admin/rosemary-rye/")).split())
    assert "Awaiting card payment" in home
    assert f"Order {number}" in page
