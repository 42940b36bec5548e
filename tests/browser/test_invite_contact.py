"""In the browser: staff invite a contact, who accepts from the captured email and signs in on a
phone-sized viewport.
"""

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.layout import check_page
from tests.support.factories import link_in

pytestmark = pytest.mark.browser


def test_staff_invite_a_contact_who_accepts_and_signs_in_on_a_phone(
    live_server, page, phone_page, smtp_server
):
    base_url, _ = live_server
    smtp_server.clear()
    staff, phone = page, phone_page
    staff.goto(f"{base_url}/admin/rosemary-rye/login")
    staff.fill("#email", "owner@rosemary-rye.example")
    staff.fill("#password", DEMO_PASSWORD)
    staff.click("button[type=submit]")
    staff.click("text=Customers")
    staff.click("text=Café Aurora")
    check_page(staff, "invite-customer")
    staff.click("text=Add contact")
    staff.fill("#first_name", "Mia")
    staff.fill("#last_name", "Baker")
    staff.fill("#email", "mia@cafe-aurora.example")
    staff.select_option("#access_level", "location")
    staff.select_option("#location_id", label="Old Town")
    check_page(staff, "invite-contact-form")
    staff.click("text=Save without inviting")
    row = staff.locator("tr", has_text="mia@cafe-aurora.example")
    assert row.locator(".contact-state").get_attribute("data-state") == "not_invited"
    row.get_by_role("button", name="Send invitation").click()
    staff.wait_for_selector("text=Invitation sent to mia@cafe-aurora.example")
    row = staff.locator("tr", has_text="mia@cafe-aurora.example")
    assert row.locator(".contact-state").get_attribute("data-state") == "invited"

    [message] = [m for m in smtp_server.messages if "mia@cafe-aurora.example" in m["To"]]
    path = link_in(message, "/invitation/")

    phone.goto(base_url + path)
    assert phone.locator("h1").inner_text() == "Welcome, Mia"
    check_page(phone, "invite-invitation")
    phone.fill("#password", "mia-loves-rye-bread")
    phone.click("text=Create my account")
    phone.wait_for_selector("text=Hello Mia")
    assert "Old Town" in phone.content() and "Riverside" not in phone.content()
    check_page(phone, "invite-first-sign-in")
    phone.click("text=Sign out")
    phone.wait_for_selector("text=You're signed out.")
    phone.fill("#email", "mia@cafe-aurora.example")
    phone.fill("#password", "mia-loves-rye-bread")
    phone.click("button[type=submit]")
    phone.wait_for_selector("text=Hello Mia")
    check_page(phone, "invite-signed-in")
    # the used invitation does not work a second time
    phone.goto(base_url + path)
    assert "no longer works" in phone.content()
    check_page(phone, "invite-link-used")
