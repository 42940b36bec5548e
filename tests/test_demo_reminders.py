"""The demo's follow-ups: Café Aurora has a reminder time, a rated delivered order with a
comment, a pending back-in-stock request, and this week's reminder in the captured mail."""

from sqlalchemy import select

from config.root.demo import DEMO_PASSWORD, seed_demo
from config.root.demo_reminders import RATING_COMMENT
from tenants.models import Tenant
from tests.support.factories import tenant_session
from tests.support.html import page_text


def _tenant_id(app, slug="rosemary-rye"):
    from config.extensions import db

    with app.app_context():
        return db.session.scalar(select(Tenant.id).where(Tenant.slug == slug))


def test_the_demo_shows_the_reminder_a_rating_and_a_back_in_stock_request_once(app, mailbox):
    from tenants.orders.followup_models import OrderRating, ReminderSetting, StockRequest
    from tenants.outbox import OutboundEmail

    seed_demo(app)
    seed_demo(app)  # once
    with tenant_session(app, _tenant_id(app)) as session:
        assert [
            (s.weekday, s.at.strftime("%H:%M")) for s in session.scalars(select(ReminderSetting))
        ] == [(4, "10:00")]
        assert [(r.score, r.comment) for r in session.scalars(select(OrderRating))] == [
            (4, RATING_COMMENT)
        ]
        assert len(list(session.scalars(select(StockRequest)))) == 1
        reminders = [
            (r.to_email, r.status, r.subject)
            for r in session.scalars(
                select(OutboundEmail).where(OutboundEmail.template == "weekly_reminder")
            )
        ]
    ((to, status, subject),) = reminders
    assert (to, status) == ("owner@cafe-aurora.example", "sent")
    # Café Aurora keeps a standing order (the standing-orders demo): its reminder shows it.
    assert subject.startswith(
        "Your standing order from Rosemary & Rye Bakery: change or skip it by "
    )
    with tenant_session(app, _tenant_id(app, "little-crumb")) as session:
        assert session.scalar(select(OrderRating.id)) is None

    staff = app.test_client()
    staff.post(
        "/admin/rosemary-rye/login",
        data={"email": "owner@rosemary-rye.example", "password": DEMO_PASSWORD},
    )
    assert RATING_COMMENT in page_text(staff.get("/admin/rosemary-rye/feedback"))
    buyer = app.test_client()
    buyer.post(
        "/wholesale/rosemary-rye/login",
        data={"email": "owner@cafe-aurora.example", "password": DEMO_PASSWORD},
    )
    away = page_text(buyer.get("/wholesale/rosemary-rye/back-in-stock"))
    assert "Hot cross buns" in away and "We'll email you" in away
