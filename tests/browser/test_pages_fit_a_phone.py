"""Every back-office and portal page of the demo, walked as the baker and the buyer would: each one
fits a 375 px phone without sideways scrolling, has 44 px tap targets, and is photographed at 375
and 1280 px (tests/artifacts/tour-*) so it can be judged by eye.
"""

import re

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.layout import check_page

pytestmark = pytest.mark.browser

ADMIN = "/admin/rosemary-rye"
PORTAL = "/wholesale/rosemary-rye"


def _sign_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def _visit(page, url: str, name: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_page(page, f"tour-{name}")


def test_every_back_office_page_fits_a_phone(live_server, page):
    base_url, _ = live_server
    _visit(page, f"{base_url}{ADMIN}/login", "admin-login")
    _visit(page, f"{base_url}{ADMIN}/forgot", "admin-forgot")
    _sign_in(page, f"{base_url}{ADMIN}/login", "owner@rosemary-rye.example")
    check_page(page, "tour-admin-home")
    _visit(page, f"{base_url}{ADMIN}/customers", "admin-customers")
    _visit(page, f"{base_url}{ADMIN}/customers?q=zzz", "admin-customers-no-match")
    _visit(page, f"{base_url}{ADMIN}/customers/new", "admin-customer-new")
    _visit(page, f"{base_url}{ADMIN}/customers/import", "admin-customer-import")
    page.goto(f"{base_url}{ADMIN}/customers")
    page.click("text=Café Aurora")
    customer_url = page.url
    check_page(page, "tour-admin-customer")
    _visit(page, f"{customer_url}/edit", "admin-customer-edit")
    _visit(page, f"{customer_url}/pricing", "admin-customer-pricing")
    _visit(page, f"{customer_url}/contacts/new", "admin-contact-new")
    _visit(page, f"{customer_url}/locations/new", "admin-location-new")
    page.goto(customer_url)
    page.locator("tr", has_text="Olivia").get_by_role("link", name="Edit").first.click()
    check_page(page, "tour-admin-contact-edit")
    page.goto(customer_url)
    page.locator("tr", has_text="Old Town").get_by_role("link", name="Edit").first.click()
    check_page(page, "tour-admin-location-edit")

    _visit(page, f"{base_url}{ADMIN}/catalog", "admin-products")
    _visit(page, f"{base_url}{ADMIN}/catalog/products/new", "admin-product-new")
    page.goto(f"{base_url}{ADMIN}/catalog")
    page.locator("table a[href*='/catalog/products/']").first.click()
    check_page(page, "tour-admin-product")
    _visit(page, f"{base_url}{ADMIN}/catalog/categories", "admin-categories")
    _visit(page, f"{base_url}{ADMIN}/catalog/assortments", "admin-assortments")
    _visit(page, f"{base_url}{ADMIN}/catalog/price-lists", "admin-price-lists")
    page.locator("table a[href*='/catalog/price-lists/']").first.click()
    check_page(page, "tour-admin-price-list")
    _visit(page, f"{base_url}{ADMIN}/catalog/import", "admin-catalog-import")
    _visit(page, f"{base_url}{ADMIN}/staff", "admin-staff")
    _visit(page, f"{base_url}{ADMIN}/mail", "admin-mail")
    _visit(page, f"{base_url}{ADMIN}/settings", "admin-settings")
    _visit(page, f"{base_url}{ADMIN}/no-such-page", "admin-404", status=404)
    assert page.get_by_role("link", name="Customers").is_visible()  # still signed in, with nav


def test_every_portal_page_fits_a_phone(live_server, page):
    base_url, _ = live_server
    _visit(page, f"{base_url}{PORTAL}/login", "portal-login")
    _visit(page, f"{base_url}{PORTAL}/forgot", "portal-forgot")
    _visit(page, f"{base_url}{PORTAL}/magic", "portal-magic")
    _sign_in(page, f"{base_url}{PORTAL}/login", "owner@cafe-aurora.example")
    check_page(page, "tour-portal-home")
    _visit(page, f"{base_url}{PORTAL}/catalog", "portal-catalog")
    _visit(page, f"{base_url}{PORTAL}/account", "portal-account")
    _visit(page, f"{base_url}{PORTAL}/account/company", "portal-company")
    _visit(page, f"{base_url}{PORTAL}/account/users", "portal-users")
    _visit(page, f"{base_url}{PORTAL}/change-password", "portal-change-password")
    page.goto(f"{base_url}{PORTAL}/")
    page.get_by_role("link", name="Old Town").click()
    assert re.search(r"/account/locations/", page.url)
    check_page(page, "tour-portal-location")
    page.goto(f"{base_url}{PORTAL}/account/users")
    page.get_by_role("link", name="Edit").first.click()
    check_page(page, "tour-portal-user")
    _visit(page, f"{base_url}{PORTAL}/no-such-page", "portal-404", status=404)
    assert "Rosemary & Rye Bakery" in page.inner_text("header")
    page.get_by_role("link", name="Go to your portal home").click()
    assert page.url == f"{base_url}{PORTAL}/"
