"""In the browser: ticking "Billing contact" on a new contact re-ticks the permissions to the
billing defaults (the inline script runs under the page's CSP), unless someone chose by hand.
"""

import pytest

from config.root.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _ticked(page) -> list[str]:
    return page.eval_on_selector_all(
        'input[name="grants"]:checked', "boxes => boxes.map(b => b.value).sort()"
    )


def test_the_billing_toggle_re_ticks_the_role_defaults_until_someone_chooses(live_server, page):
    base_url, _ = live_server
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{base_url}/admin/rosemary-rye/login")
    page.fill("#email", "owner@rosemary-rye.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.click("text=Customers")
    page.click("text=Café Aurora")
    page.click("text=Add contact")
    assert _ticked(page) == ["create_orders", "edit_orders", "view_orders"]
    page.check("#is_billing")
    assert _ticked(page) == ["pay_invoices", "view_invoices", "view_orders"]
    page.uncheck("#is_billing")
    assert _ticked(page) == ["create_orders", "edit_orders", "view_orders"]
    page.uncheck('input[name="grants"][value="edit_orders"]')  # a choice by hand
    page.check("#is_billing")
    assert _ticked(page) == ["create_orders", "view_orders"]
    assert blocked == []
