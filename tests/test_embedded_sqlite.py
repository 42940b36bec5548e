"""The embedded default: SQLite built by the real migrations, demo data, inline mail."""

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from config.extensions import db
from config.root.app import create_app
from config.root.demo import DEMO_PASSWORD
from config.settings import Settings
from tenants.customers.models import Customer
from tenants.scoping import TenantNotSet, bind_tenant
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
    app.instance_path = str(tmp_path)  # captured mail goes under the test's folder
    app.extensions["mail_transport"].directory = tmp_path / "mail"
    with app.app_context():
        upgrade()
    from config.root.demo import seed_demo

    seed_demo(app)
    return app


def test_the_demo_bakeries_operator_and_customers_exist(sqlite_app):
    client = sqlite_app.test_client()
    for slug in ("rosemary-rye", "little-crumb"):
        response = client.post(
            f"/admin/{slug}/login",
            data={"email": f"owner@{slug}.example", "password": DEMO_PASSWORD},
        )
        assert response.status_code == 302, slug
        client.post(f"/admin/{slug}/logout")
    ops = client.post(
        "/platform/login", data={"email": "operator@platform.example", "password": DEMO_PASSWORD}
    )
    assert ops.status_code == 302
    assert client.get("/wholesale/rosemary-rye/login").status_code == 200
    assert client.get("/wholesale/little-crumb/login").status_code == 403


def test_seeding_the_demo_twice_changes_nothing(sqlite_app):
    from config.root.demo import seed_demo

    seed_demo(sqlite_app)
    with sqlite_app.app_context():
        tenant = tenant_by_slug("rosemary-rye")
        bind_tenant(db.session, tenant.id)
        names = db.session.scalars(select(Customer.business_name).order_by(Customer.business_name))
        assert list(names) == ["Café Aurora", "Corner Deli"]


def test_sqlite_queries_are_scoped_and_unscoped_ones_raise(sqlite_app):
    with sqlite_app.app_context():
        with pytest.raises(TenantNotSet):
            db.session.scalars(select(Customer)).all()
        crumb = tenant_by_slug("little-crumb")
        bind_tenant(db.session, crumb.id)
        assert [c.business_name for c in db.session.scalars(select(Customer))] == [
            "Kaffeehaus Mitte"
        ]


def test_invitation_mail_is_captured_for_the_dev_mail_page(sqlite_app):
    client = sqlite_app.test_client()
    client.post(
        "/admin/rosemary-rye/login",
        data={"email": "owner@rosemary-rye.example", "password": DEMO_PASSWORD},
    )
    client.post(
        "/admin/rosemary-rye/staff",
        data={"name": "Nia New", "email": "nia@example.com", "role": "sales"},
    )
    inbox = client.get("/dev/mail/").get_data(as_text=True)
    assert "invited you to Rosemary" in inbox
    link = inbox.split('href="/dev/mail/')[1].split('"')[0]
    message = client.get(f"/dev/mail/{link}").get_data(as_text=True)
    assert "/admin/rosemary-rye/invitation/" in message
