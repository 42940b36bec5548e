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
