"""The portal and the emails buyers get speak the bakery's language; catalogs compile from the
repo's .po sources when the app starts."""

import os
from pathlib import Path

from config.i18n import SOURCES, compile_catalogs
from tests.support.factories import (
    add_contact,
    make_customer,
    platform_session,
    sign_in_buyer,
    sign_in_staff,
)
from tests.support.html import page_text


def _make_german(app, bakery):
    from tenants.models import Tenant

    with platform_session(app) as session:
        tenant = session.get(Tenant, bakery.id)
        tenant.locale, tenant.timezone = "de_DE", "Europe/Berlin"


def test_the_app_starts_with_every_catalog_compiled(app):
    compiled = Path(app.instance_path) / "translations" / "de" / "LC_MESSAGES" / "messages.mo"
    assert compiled.exists()
    assert compiled.stat().st_mtime >= (SOURCES / "de/LC_MESSAGES/messages.po").stat().st_mtime


def test_catalogs_compile_once_and_again_when_their_source_changes(tmp_path):
    sources = tmp_path / "src"
    (sources / "de" / "LC_MESSAGES").mkdir(parents=True)
    po = sources / "de" / "LC_MESSAGES" / "messages.po"
    po.write_text('msgid "Home"\nmsgstr "Startseite"\n', encoding="utf-8")
    target = tmp_path / "out"

    [written] = compile_catalogs(target, sources)
    assert written == target / "de" / "LC_MESSAGES" / "messages.mo"
    assert compile_catalogs(target, sources) == []  # up to date: nothing to do
    later = written.stat().st_mtime + 10
    os.utime(po, (later, later))
    assert compile_catalogs(target, sources) == [written]


def test_a_german_bakerys_portal_speaks_german_and_an_english_one_english(
    app, client, two_bakeries
):
    north, south = two_bakeries
    _make_german(app, north)
    for bakery in (north, south):
        customer = make_customer(app, bakery, "Café Aurora", may_order_online=True)
        add_contact(app, bakery, customer["id"], email="owner@cafe.example", is_owner=True)

    sign_in_buyer(client, north, "owner@cafe.example")
    german = page_text(client.get(f"/wholesale/{north.slug}/"))
    assert "Startseite" in german and "Kein Mindestbestellwert" in german
    assert "Sie sehen alle Bestellungen von Café Aurora." in german
    assert "No minimum order" not in german
    catalog = page_text(client.get(f"/wholesale/{north.slug}/catalog"))
    assert "Ihr Sortiment" in catalog and "Ihr Preis" in catalog and "Your catalog" not in catalog

    other = app.test_client()
    sign_in_buyer(other, south, "owner@cafe.example")
    english = page_text(other.get(f"/wholesale/{south.slug}/"))
    assert "No minimum order" in english and "Startseite" not in english


def test_a_german_bakerys_404_and_dead_links_are_in_german(app, client, two_bakeries):
    north, _ = two_bakeries
    _make_german(app, north)
    text = page_text(client.get(f"/wholesale/{north.slug}/no-such-page"))
    assert "Diese Seite gibt es nicht." in text and "Zum Bestellen anmelden" in text
    dead = client.get(f"/wholesale/{north.slug}/magic/not-a-real-token")
    assert dead.status_code == 410
    assert "Dieser Anmeldelink funktioniert nicht mehr" in page_text(dead)


def test_a_german_bakerys_invitation_email_is_in_german_with_its_dates(
    app, client, two_bakeries, mailbox
):
    from datetime import UTC, datetime

    from freezegun import freeze_time

    north, _ = two_bakeries
    _make_german(app, north)
    customer = make_customer(app, north, "Café Aurora")
    contact = add_contact(
        app, north, customer["id"], email="sam@cafe.example", status="not_invited", password=None
    )
    with freeze_time(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)):
        sign_in_staff(client, north)
        url = f"/admin/{north.slug}/customers/{customer['id']}/contacts/{contact}/invite"
        assert client.post(url).status_code == 302
    [message] = mailbox.messages
    assert message["Subject"] == "North Bakery lädt Sie zum Online-Bestellen ein"
    text = message.get_body(("plain",)).get_content()
    assert "Der Link funktioniert einmal und läuft am 30.11.2026, 10:00 MEZ ab." in text
    html = message.get_body(("html",)).get_content()
    assert "für <strong>Café Aurora</strong> eingeladen" in html


def _cafes_ordering(app, two_bakeries):
    """Both bakeries deliver Tuesdays with a 14:00 cutoff the day before; the north one speaks
    German."""
    from datetime import time

    from tests.support.orders import make_cafe, set_days

    north, south = two_bakeries
    _make_german(app, north)
    shops = {}
    for bakery in (north, south):
        set_days(app, bakery, {1: (1, time(14))})
        shops[bakery.slug] = make_cafe(app, bakery)
    return north, south, shops[north.slug], shops[south.slug]


def _place(app, bakery, cafe):
    """A signed-in buyer puts 6 of the bread in the cart and places the order; returns the
    client and the order page's response."""
    client = app.test_client()
    sign_in_buyer(client, bakery, "buyer@example.com")
    client.post(
        f"/wholesale/{bakery.slug}/cart/add",
        data={"product_id": str(cafe["bread"]), "quantity": "6"},
    )
    cart = page_text(client.get(f"/wholesale/{bakery.slug}/cart"))
    placed = client.post(
        f"/wholesale/{bakery.slug}/checkout",
        data={
            "location_id": str(cafe["locations"]["Main Street"]),
            "delivery_date": "2026-12-08",
            "po_number": "PO-1",
            "notes": "",
            "idempotency_key": "key-1",
        },
    )
    assert placed.status_code == 302
    return client, cart, page_text(client.get(placed.headers["Location"]))


def test_a_german_bakerys_cart_orders_order_and_settings_are_in_german(app, two_bakeries, mailbox):
    from freezegun import freeze_time

    with freeze_time("2026-12-07 09:00"):
        north, _, cafe, _ = _cafes_ordering(app, two_bakeries)
        client, cart, order = _place(app, north, cafe)
        assert "Ihr Warenkorb" in cart and "Zwischensumme" in cart and "Stückpreis" in cart
        assert "Warum keine anderen Tage?" in cart and "Bestellung aufgeben" in cart
        assert "Your cart" not in cart and "Subtotal" not in cart

        assert "Vielen Dank! Bestellung 1 ist für" in order
        assert "Bestellung 1" in order and "Bestellnummer: PO-1" in order
        assert "Aufgegeben von Alex Buyer" in order and "Verlauf" in order
        assert "Erneut bestellen" in order and "Placed by" not in order

        orders = page_text(client.get(f"/wholesale/{north.slug}/orders"))
        assert "Ihre Bestellungen" in orders and "Lieferadresse" in orders
        assert "Best.-Nr. PO-1" in orders and "Your orders" not in orders

        account = page_text(client.get(f"/wholesale/{north.slug}/account"))
        assert "Sie melden sich als buyer@example.com an." in account
        assert "Vorname" in account and "Aktuelles Passwort" in account
        assert "Wo Sie angemeldet sind" in account and "Überall abmelden" in account
        assert "First name" not in account

    [confirmation] = [m for m in mailbox.messages if m["X-Envelope-To"] == "buyer@example.com"]
    assert confirmation["Subject"].startswith("Bestellung 1 eingegangen: Lieferung am ")
    text = confirmation.get_body(("plain",)).get_content()
    assert "Vielen Dank! Ihre Bestellung 1 für" in text and "Zwischensumme:" in text
    assert "Bestellung ansehen:" in text and "Bestellnummer: PO-1" in text
    html = confirmation.get_body(("html",)).get_content()
    assert "Ihre Bestellung <strong>1</strong>" in html and "Zwischensumme" in html


def test_an_english_bakerys_ordering_pages_and_emails_stay_english(app, two_bakeries, mailbox):
    from freezegun import freeze_time

    with freeze_time("2026-12-07 09:00"):
        _, south, _, cafe = _cafes_ordering(app, two_bakeries)
        client, cart, order = _place(app, south, cafe)
        assert "Your cart" in cart and "Subtotal" in cart and "Ihr Warenkorb" not in cart
        assert "Thank you! Order 1 is placed for Tuesday, 8 December." in order
        assert "Placed by" in order and "Aufgegeben" not in order
        orders = page_text(client.get(f"/wholesale/{south.slug}/orders"))
        assert "Your orders" in orders and "PO PO-1" in orders
        account = page_text(client.get(f"/wholesale/{south.slug}/account"))
        assert "You sign in as buyer@example.com." in account
        assert "Where you're signed in" in account and "Vorname" not in account

    [confirmation] = [m for m in mailbox.messages if m["X-Envelope-To"] == "buyer@example.com"]
    assert confirmation["Subject"].startswith("Order 1 received: delivery ")
    text = confirmation.get_body(("plain",)).get_content()
    assert "Thank you: South Bakery has your order 1" in text and "View the order:" in text
