"""On the embedded default (SQLite, no row-level security, inline mail) the demo's receivables
work: staff record a payment through the page, the reminder job's claim (SQLite's upsert) sends
each step once, a void reverses; the other demo bakery's books stay empty."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from config.clock import utcnow
from config.extensions import db
from config.root.app import create_app
from config.root.demo import DEMO_PASSWORD
from config.settings import Settings
from tenants.scoping import bind_tenant
from tenants.web import tenant_by_slug


@pytest.fixture
def sqlite_app(tmp_path):
    settings = Settings.from_env(
        {
            "APP_ENV": "test",
            "SECRET_KEY": "s",
            "DEMO_MODE": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        }
    )
    app = create_app(settings)
    app.config["WTF_CSRF_ENABLED"] = False
    app.extensions["mail_transport"].directory = tmp_path / "mail"
    with app.app_context():
        upgrade()
    from config.root.demo import seed_demo

    seed_demo(app)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_payments_reminders_and_voids_on_sqlite(sqlite_app):
    from billing.dunning import send_due_reminders
    from billing.models import Invoice
    from billing.payments import get_payment, void_payment
    from billing.receivables_models import InvoiceReminder, Payment
    from tenants.customers.models import Customer

    with sqlite_app.app_context():
        tenant = tenant_by_slug("rosemary-rye")
        bind_tenant(db.session, tenant.id)
        cafe = db.session.scalar(select(Customer.id).where(Customer.business_name == "Café Aurora"))
        before = db.session.scalar(select(Invoice).order_by(Invoice.sequence).offset(1).limit(1))
        target, owed = before.id, before.balance_minor
        reminders = len(list(db.session.scalars(select(InvoiceReminder))))
    staff = sqlite_app.test_client()
    staff.post(
        "/admin/rosemary-rye/login",
        data={"email": "owner@rosemary-rye.example", "password": DEMO_PASSWORD},
    )
    response = staff.post(
        f"/admin/rosemary-rye/customers/{cafe}/payments/new",
        data={
            "amount": f"{owed / 100:.2f}",
            "received_on": utcnow().date().isoformat(),
            "method": "bank_transfer",
            f"alloc_{target.hex}": f"{owed / 100:.2f}",
        },
    )
    assert response.status_code == 302
    with sqlite_app.app_context():
        tenant = tenant_by_slug("rosemary-rye")
        bind_tenant(db.session, tenant.id)
        assert db.session.get(Invoice, (tenant.id, target)).balance_minor == 0
        # The demo already sent today's reminders: running again sends none, a week on one
        # per invoice still owing, and never one for the invoice just paid.
        assert send_due_reminders(db.session, tenant) == 0
        later = send_due_reminders(db.session, tenant, now=utcnow() + timedelta(days=8))
        assert later >= 1
        reminded = list(db.session.scalars(select(InvoiceReminder.invoice_id)))
        assert len(reminded) == reminders + later
        fresh = db.session.scalars(
            select(InvoiceReminder.invoice_id).where(InvoiceReminder.sent_on > utcnow().date())
        )
        assert target not in set(fresh)
        payment_id = db.session.scalar(select(Payment.id).where(Payment.reference == ""))
        void_payment(db.session, tenant, actor=None, payment=get_payment(db.session, payment_id))
        db.session.commit()
        assert db.session.get(Invoice, (tenant.id, target)).balance_minor == owed
        other = tenant_by_slug("little-crumb")
        db.session.remove()
    with sqlite_app.app_context():
        bind_tenant(db.session, other.id)
        assert db.session.scalar(select(Payment.id)) is None
