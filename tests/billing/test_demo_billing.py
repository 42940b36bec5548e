"""The demo shows Plan and billing working without Stripe keys: Rosemary & Rye's next payment,
Little Crumb's trial, and no Stripe button anywhere."""

from freezegun import freeze_time

from config.root.demo import DEMO_PASSWORD, seed_demo
from tests.support.html import page_text


@freeze_time("2026-12-07 09:00:00")
def test_the_demo_bakeries_show_their_plan_state_without_stripe(app, mailbox):
    seed_demo(app)
    seed_demo(app)  # safe to run again
    client = app.test_client()
    for slug, shown in (
        ("rosemary-rye", 'id="next-payment">€129.00 on 25 Dec 2026'),
        ("little-crumb", 'id="trial-end">16.12.2026'),
    ):
        client.post(
            f"/admin/{slug}/login",
            data={"email": f"owner@{slug}.example", "password": DEMO_PASSWORD},
        )
        text = page_text(client.get(f"/admin/{slug}/plan"))
        assert shown in text, slug
        assert "Subscribe to" not in text and "Manage card" not in text
        client.post(f"/admin/{slug}/logout")
