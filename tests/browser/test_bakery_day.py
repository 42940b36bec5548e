"""In the browser: the bakery's owner opens the home page with its charts, the coming day's
production sheet (with the "changed since you printed" flag the demo sets up), the packing slips
and the van route, moves a stop by number (no script needed) and by dragging a row. Every page
goes through check_page at 375 and 1280 px."""

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.layout import check_page

pytestmark = pytest.mark.browser


def test_the_owner_walks_through_the_bakerys_day(live_server, page):
    base_url, _ = live_server
    admin = f"{base_url}/admin/rosemary-rye"
    page.goto(f"{admin}/login")
    page.fill("#email", "owner@rosemary-rye.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#home-charts")
    assert page.locator("#weeks-chart rect").count() == 12
    assert page.locator("#top-chart rect").count() >= 3
    check_page(page, "staff-home-charts")
    page.click("#home-charts details summary")  # the numbers behind the chart, as text
    assert page.locator("#weeks-table").is_visible()
    check_page(page, "staff-home-chart-numbers")

    page.click("header nav a:text('Production')")
    page.wait_for_selector("#production-sheet")
    assert "changed since you printed" in page.inner_text("#changed-since-print")
    check_page(page, "staff-production-sheet")
    shown = page.input_value("#date")
    page.click("a[rel=next]")
    page.wait_for_selector("#generated")
    assert page.input_value("#date") > shown
    check_page(page, "staff-production-sheet-next-day")

    page.goto(f"{admin}/packing")
    assert page.locator("section.slip").count() >= 2
    check_page(page, "staff-packing-slips")

    page.goto(f"{admin}/route")
    rows = page.locator("#route tbody tr")
    names = [rows.nth(i).get_attribute("id") for i in range(rows.count())]
    check_page(page, "staff-route")

    # By number: the last stop to the front.
    last = names[-1]
    page.fill(f"#{last} input[name=position]", "1")
    page.click(f"#{last} button:text('Move')")
    page.wait_for_selector("text=is stop 1 now.")
    assert page.locator("#route tbody tr").first.get_attribute("id") == last

    # By dragging (a fine pointer at 1280 px): the second row onto the first.
    second = page.locator("#route tbody tr").nth(1).get_attribute("id")
    page.drag_and_drop(f"#{second} .handle", "#route tbody tr:first-child td:nth-child(3)")
    page.wait_for_selector("text=is stop 1 now.")
    assert page.locator("#route tbody tr").first.get_attribute("id") == second
    check_page(page, "staff-route-moved")
