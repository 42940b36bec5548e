"""The demo's Café Aurora: an active owner who can sign in, an invited location buyer."""

from sqlalchemy import select

from config.root.demo import DEMO_PASSWORD, seed_demo
from tenants.customers.models import Contact
from tenants.models import Tenant
from tests.support.factories import tenant_session


def test_the_demo_gives_rosemary_rye_a_cafe_with_an_owner_and_an_invited_buyer(app, mailbox):
    seed_demo(app)
    seed_demo(app)  # safe to run again
    client = app.test_client()
    response = client.post(
        "/wholesale/rosemary-rye/login",
        data={"email": "owner@cafe-aurora.example", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    home = client.get("/wholesale/rosemary-rye/")
    assert b"Old Town" in home.data and b"Riverside" in home.data
    # the starter bakery has no portal, and the owner is unknown there
    assert client.get("/wholesale/little-crumb/").status_code == 403
    with app.app_context():
        from config.extensions import db

        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "rosemary-rye"))
    with tenant_session(app, tenant_id) as session:
        states = dict(session.execute(select(Contact.email, Contact.status)).all())
    assert states == {
        "owner@cafe-aurora.example": "active",
        "riverside@cafe-aurora.example": "invited",
        "orders@corner-deli.example": "active",  # the card-now demo's buyer
    }
    # The invited buyer got their invitation (the demo's orders and invoices send more mail).
    invitations = [m["To"] for m in mailbox.messages if "invit" in m["Subject"].lower()]
    assert invitations == ["Ravi Rivers <riverside@cafe-aurora.example>"]


def test_the_demo_buyer_sees_the_cafe_prices_and_downloads_them_and_the_deli_has_another_list(
    app,
):
    from tenants.catalog.models import PriceList
    from tenants.customers.models import Customer
    from tests.support.html import page_text

    seed_demo(app)
    client = app.test_client()
    client.post(
        "/wholesale/rosemary-rye/login",
        data={"email": "owner@cafe-aurora.example", "password": DEMO_PASSWORD},
    )
    page = page_text(client.get("/wholesale/rosemary-rye/catalog"))
    assert "Butter croissant" in page and "order 24 for £1.00 each" in page
    assert "Roggenbrot" not in page  # the other demo bakery's catalog
    csv_text = client.get("/wholesale/rosemary-rye/catalog.csv").get_data(as_text=True)
    assert "VIE-CRO,Butter croissant" in csv_text and "1.10" in csv_text
    pdf = client.get("/wholesale/rosemary-rye/catalog.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    with app.app_context():
        from config.extensions import db

        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "rosemary-rye"))
    with tenant_session(app, tenant_id) as session:
        lists = dict(
            session.execute(
                select(Customer.business_name, PriceList.name).join(
                    PriceList,
                    (PriceList.tenant_id == Customer.tenant_id)
                    & (PriceList.id == Customer.price_list_id),
                )
            ).all()
        )
    assert lists == {"Café Aurora": "Cafés (negotiated)", "Corner Deli": "Standard wholesale"}
