"""Every word a German bakery's buyers read is German: dates in words, the cut-off countdown,
order statuses, the calendar's reasons, the account forms and the text rules; its back office
stays English (dates included) and so does an English bakery's portal. The catalog has one
entry per text and a German translation for every text the buyers' side uses."""

from collections import Counter
from datetime import date

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from config.i18n import SOURCES
from tests.config.test_i18n import _cafes_ordering, _place
from tests.support.factories import sign_in_staff
from tests.support.html import page_text
from tests.support.orders import close

GERMAN_PO = SOURCES / "de" / "LC_MESSAGES" / "messages.po"
REPO = SOURCES.parent.parent


def test_a_german_bakerys_dates_statuses_countdown_and_reasons_are_german(app, two_bakeries):
    from freezegun import freeze_time

    with freeze_time("2026-12-07 09:00"):
        north, _, cafe, _ = _cafes_ordering(app, two_bakeries)
        close(app, north, date(2026, 12, 15), date(2026, 12, 15), "Inventur")
        client, cart, order = _place(app, north, cafe)
        assert "Bestellschluss für Dienstag in 4 Std. 0 Min." in cart
        assert "Keine Lieferungen am Mittwoch." in cart and "Geschlossen: Inventur." in cart
        assert "Dienstag, 8. Dezember (frühestens)" in cart
        assert "Vielen Dank! Bestellung 1 ist für Dienstag, 8. Dezember" in order
        assert "Dienstag, 8. Dezember 2026" in order and "Tuesday" not in order
        assert "Wartet auf Prüfung" in order or "Bestätigt" in order
        orders = page_text(client.get(f"/wholesale/{north.slug}/orders"))
        assert "Di., 8. Dez. 2026" in orders and "Tue" not in orders

        # The script that keeps the countdown current says the same, from German templates.
        raw = client.get(f"/wholesale/{north.slug}/cart").get_data(as_text=True)
        assert 'data-open="Bestellschluss für Dienstag in {span}"' in raw
        assert 'data-hours="2222 Std. 3333 Min."' in raw

        # The catalog PDF's footer too.
        import io

        from pypdf import PdfReader

        pdf = client.get(f"/wholesale/{north.slug}/catalog.pdf")
        footer = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
        assert "Seite 1 von 1" in footer and "Page 1" not in footer


def test_a_german_bakerys_account_forms_and_text_rules_are_german(app, two_bakeries):
    from tests.support.factories import add_contact, sign_in_buyer

    north, _, cafe, _ = _cafes_ordering(app, two_bakeries)
    add_contact(app, north, cafe["id"], email="owner@example.com", is_owner=True)
    client = app.test_client()
    sign_in_buyer(client, north, "owner@example.com")
    company = client.get(f"/wholesale/{north.slug}/account/company")
    text = page_text(company)
    assert "Handelsname" in text and "Trading name" not in text
    refused = client.post(
        f"/wholesale/{north.slug}/account/company",
        data={"trading_name": "Two\nlines", "tax_number": "", "billing_email": "", "phone": ""},
    )
    assert refused.status_code == 422
    assert "Verwenden Sie eine einzelne Zeile ohne Zeilenumbrüche." in page_text(refused)


def test_a_german_bakerys_back_office_stays_english_with_its_own_date_format(app, two_bakeries):
    from freezegun import freeze_time

    with freeze_time("2026-12-07 09:00"):
        north, _, cafe, _ = _cafes_ordering(app, two_bakeries)
        _place(app, north, cafe)
        staff = app.test_client()
        sign_in = page_text(staff.get(f"/admin/{north.slug}/login"))
        assert "Email" in sign_in and "Password" in sign_in
        assert "E-Mail" not in sign_in and "Passwort" not in sign_in
        sign_in_staff(staff, north)
        orders = page_text(staff.get(f"/admin/{north.slug}/orders"))
        # English words, written the way a German office writes English dates (en_DE).
        assert "Tue, 8 Dec 2026" in orders and "Di." not in orders
        assert "Waiting for review" in orders or "Confirmed" in orders
        assert "Bestätigt" not in orders and "Wartet" not in orders

        # The buyer's portal of the same bakery is still German in the same moment.
        buyer = app.test_client()
        from tests.support.factories import sign_in_buyer

        sign_in_buyer(buyer, north, "buyer@example.com")
        assert "Di., 8. Dez. 2026" in page_text(buyer.get(f"/wholesale/{north.slug}/orders"))


def test_the_german_catalog_has_each_text_once():
    ids = [
        line.split('"', 1)[1]
        for line in GERMAN_PO.read_text(encoding="utf-8").splitlines()
        if line.startswith('msgid "') and line != 'msgid ""'
    ]
    doubled = [text for text, count in Counter(ids).items() if count > 1]
    assert doubled == []  # a union merge of two branches can double an entry: keep one


def test_every_text_on_the_buyers_side_has_a_german_translation():
    with GERMAN_PO.open("rb") as source:
        catalog = read_po(source, locale="de")
    method_map = [
        ("**.py", "python"),
        ("**/templates/**.html", "jinja2"),
        ("**/templates/**.txt", "jinja2"),
    ]
    missing = []
    # The buyers' side: the portal, the emails, and the domain texts they are shown.
    for folder in ("portal", "jobs", "tenants/orders", "tenants/customers"):
        for filename, _line, message, _comments, _context in extract_from_dir(
            REPO / folder,
            method_map,
            keywords={"_": None, "gettext": None, "_l": None, "ngettext": (1, 2)},
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            entry = catalog.get(msgid)
            if not msgid or entry is None or not entry.string:
                missing.append(f"{folder}/{filename}: {msgid!r}")
    assert missing == []
