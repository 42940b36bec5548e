"""In the browser: staff invite a contact, who accepts from the captured email and signs in on a
phone-sized viewport.

The server and browser fixtures are local to this file (prefixed `invite_`) so they don't clash
with the shared browser harness; at merge they can give way to its `live_server`/`phone_page`.
"""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from config.demo import DEMO_PASSWORD
from tests.support import databases
from tests.support.factories import link_in

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def invite_server(smtp_server):
    """(base_url, app) serving the demo data from its own committed PostgreSQL database."""
    from config.app import create_app
    from config.demo import seed_demo
    from config.extensions import db
    from tests.conftest import _require_postgres, make_settings
    from tests.support.smtp import free_port

    _require_postgres()
    databases.ensure_roles()
    name = databases.database_name("invite")
    databases.recreate_database(name)
    databases.migrate(name)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    app = create_app(
        make_settings(databases.url(databases.APP_ROLE, name), smtp_server.port, BASE_URL=base_url)
    )
    seed_demo(app)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url, app
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(name)


@pytest.fixture(scope="module")
def invite_browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_staff_invite_a_contact_who_accepts_and_signs_in_on_a_phone(
    invite_server, invite_browser, smtp_server
):
    base_url, _ = invite_server
    smtp_server.clear()
    desk = invite_browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    staff.set_default_timeout(15_000)
    staff.goto(f"{base_url}/admin/rosemary-rye/login")
    staff.fill("#email", "owner@rosemary-rye.example")
    staff.fill("#password", DEMO_PASSWORD)
    staff.click("button[type=submit]")
    staff.click("text=Customers")
    staff.click("text=Café Aurora")
    staff.click("text=Add contact")
    staff.fill("#first_name", "Mia")
    staff.fill("#last_name", "Baker")
    staff.fill("#email", "mia@cafe-aurora.example")
    staff.select_option("#access_level", "location")
    staff.select_option("#location_id", label="Old Town")
    staff.click("text=Save contact")
    row = staff.locator("tr", has_text="mia@cafe-aurora.example")
    assert row.locator(".contact-state").get_attribute("data-state") == "not_invited"
    row.get_by_role("button", name="Send invitation").click()
    staff.wait_for_selector("text=Invitation sent to mia@cafe-aurora.example")
    row = staff.locator("tr", has_text="mia@cafe-aurora.example")
    assert row.locator(".contact-state").get_attribute("data-state") == "invited"
    desk.close()

    [message] = [m for m in smtp_server.messages if "mia@cafe-aurora.example" in m["To"]]
    path = link_in(message, "/invitation/")

    phone_context = invite_browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone = phone_context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(base_url + path)
    assert phone.locator("h1").inner_text() == "Welcome, Mia"
    assert _fits_the_screen(phone)
    phone.fill("#password", "mia-loves-rye-bread")
    phone.click("text=Create my account")
    phone.wait_for_selector("text=Hello Mia")
    assert "Old Town" in phone.content() and "Riverside" not in phone.content()
    assert _fits_the_screen(phone)
    phone.click("text=Sign out")
    phone.wait_for_selector("text=You're signed out.")
    phone.fill("#email", "mia@cafe-aurora.example")
    phone.fill("#password", "mia-loves-rye-bread")
    phone.click("button[type=submit]")
    phone.wait_for_selector("text=Hello Mia")
    assert _fits_the_screen(phone)
    # the used invitation does not work a second time
    phone.goto(base_url + path)
    assert "no longer works" in phone.content()
    phone_context.close()
