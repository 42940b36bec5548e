"""The back office's online payment attempts page (`/admin/<slug>/online-payments/attempts`):
what needs following up, with the customer, the invoices, the amount, what Stripe said and
the PaymentIntent; filters; the other bakery's attempts never; the `invoices` permission; the
history with Stripe off (said on the page) and on; links to it; everything escaped. Two
bakeries with the same customer names each time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.support.factories import add_staff, make_customer, sign_in_staff
from tests.support.html import page_text
from tests.support.online import add_attempt
from tests.support.receivables import add_invoice
from tests.support.stripe_fake import stripe_fake  # noqa: F401 - the fixture

WHEN = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)


def url(bakery, query: str = "") -> str:
    return f"/admin/{bakery.slug}/online-payments/attempts{query}"


@pytest.fixture
def attempts(app, two_bakeries):
    """Per bakery: a declined card over two invoices, a disputed and a partly refunded
    payment, a clean paid one and an expired Checkout."""
    made = {}
    for bakery, tag in zip(two_bakeries, ("N", "S"), strict=True):
        cafe = make_customer(app, bakery, "Café Aurora")["id"]
        first = add_invoice(app, bakery, cafe, total=12_000, number=f"INV-{tag}-0001")
        second = add_invoice(app, bakery, cafe, total=3_450, number=f"INV-{tag}-0002")
        add_attempt(
            app,
            bakery,
            cafe,
            [first, second],
            amount=15_450,
            failure_message="Your card was declined.",
            created_at=WHEN,
            payment_intent_id=f"pi_{tag}_declined",
        )
        add_attempt(
            app,
            bakery,
            cafe,
            status="succeeded",
            amount=2_500,
            dispute_status="needs_response",
            payment_intent_id=f"pi_{tag}_disputed",
        )
        add_attempt(
            app,
            bakery,
            cafe,
            status="succeeded",
            amount=4_000,
            refunded=1_250,
            payment_intent_id=f"pi_{tag}_refunded",
        )
        add_attempt(app, bakery, cafe, status="succeeded", payment_intent_id=f"pi_{tag}_paid")
        add_attempt(app, bakery, cafe, status="expired", payment_intent_id=f"pi_{tag}_expired")
        made[bakery.slug] = {"cafe": cafe, "invoices": (first, second)}
    return made


def _rows(text: str) -> list[str]:
    body = re.search(r'<table class="stack-table" id="online-attempts">.*?</table>', text, re.S)
    assert body is not None
    return re.findall(r"<tr class=\"attempt-[a-z]+\">(.*?)</tr>", body.group(0), re.S)


def test_the_page_shows_what_needs_following_up_and_nothing_of_the_other_bakery(
    app, client, two_bakeries, attempts
):
    north, south = two_bakeries
    sign_in_staff(client, north)
    response = client.get(url(north))
    assert response.status_code == 200
    text = page_text(response)
    rows = _rows(text)
    assert len(rows) == 3
    assert "(3)" in text
    declined = next(r for r in rows if "pi_N_declined" in r)
    first, second = attempts[north.slug]["invoices"]
    assert f'href="/admin/{north.slug}/invoices/{first}">INV-N-0001</a>' in declined
    assert f'href="/admin/{north.slug}/invoices/{second}">INV-N-0002</a>' in declined
    cafe = attempts[north.slug]["cafe"]
    assert f'href="/admin/{north.slug}/customers/{cafe}/account">Café Aurora</a>' in declined
    assert "€154.50" in declined and ">Checkout<" in declined
    assert "Failed" in declined and "Your card was declined." in declined
    assert "20 Nov 2026" in declined
    disputed = next(r for r in rows if "pi_N_disputed" in r)
    assert "Disputed: needs a response" in disputed and "€25.00" in disputed
    refunded = next(r for r in rows if "pi_N_refunded" in r)
    assert "€12.50" in refunded and "€40.00" in refunded and "Partly refunded" in refunded
    assert "pi_N_paid" not in text and "pi_N_expired" not in text
    assert "pi_S_" not in text and "INV-S-" not in text
    # Stripe is off in this test: the page still shows the history and says so.
    assert "Online payments are off on this platform" in text


def test_filters_show_all_one_status_and_one_kind(app, client, two_bakeries, attempts):
    north, south = two_bakeries
    add_attempt(
        app,
        north,
        attempts[north.slug]["cafe"],
        kind="autopay",
        failure_message="Your card has insufficient funds.",
        payment_intent_id="pi_N_autopay",
    )
    add_attempt(app, north, payment_intent_id="pi_N_other_customer")
    sign_in_staff(client, north)
    every = page_text(client.get(url(north, "?show=all")))
    assert len(_rows(every)) == 7 and "pi_N_paid" in every and "pi_S_" not in every
    expired = page_text(client.get(url(north, "?show=all&status=expired")))
    assert [("pi_N_expired" in r) for r in _rows(expired)] == [True]
    autopay = page_text(client.get(url(north, "?kind=autopay")))
    assert len(_rows(autopay)) == 1 and "Autopay" in _rows(autopay)[0]
    refunded = page_text(client.get(url(north, "?show=refunded")))
    assert len(_rows(refunded)) == 1 and "pi_N_refunded" in refunded
    # The filters stay chosen, and a customer of this bakery narrows the list.
    assert 'value="refunded" selected' in refunded or 'selected value="refunded"' in refunded
    mine = attempts[north.slug]["cafe"]
    narrowed = page_text(client.get(url(north, f"?show=all&customer_id={mine}")))
    assert len(_rows(narrowed)) == 6 and "pi_N_other_customer" not in narrowed
    # A nonsense customer id is an error on the field, not a crash.
    bad = client.get(url(north, "?customer_id=not-an-id"))
    assert bad.status_code == 200 and "Choose a customer from the list." in page_text(bad)


def test_another_bakerys_customer_as_the_filter_shows_nothing_of_theirs(
    app, client, two_bakeries, attempts
):
    """As on the invoice list: the filter is this bakery's query, so a foreign customer id
    finds no rows (never that bakery's attempts)."""
    north, south = two_bakeries
    theirs = attempts[south.slug]["cafe"]
    sign_in_staff(client, north)
    response = client.get(url(north, f"?show=all&customer_id={theirs}"))
    assert response.status_code == 200
    text = page_text(response)
    assert _rows(text) == [] and "pi_S_" not in text and "INV-S-" not in text
    assert "No online payment attempts match these filters." in text


def test_staff_without_the_invoices_permission_get_403(app, client, two_bakeries, attempts):
    north, _ = two_bakeries
    add_staff(app, north, email="sales@example.com", role="sales")
    add_staff(app, north, email="bakers@example.com", role="production")
    add_staff(app, north, email="accounts@example.com", role="accounts")
    for email in ("sales@example.com", "bakers@example.com"):
        staff = app.test_client()
        sign_in_staff(staff, north, email)
        assert staff.get(url(north)).status_code == 403, email
    accounts = app.test_client()
    sign_in_staff(accounts, north, "accounts@example.com")
    assert accounts.get(url(north)).status_code == 200
    # Signed out: to the sign-in page.
    assert app.test_client().get(url(north)).status_code == 302


@pytest.mark.usefixtures("stripe_fake")
def test_with_stripe_on_the_page_does_not_say_it_is_off(app, client, two_bakeries, attempts):
    north, _ = two_bakeries
    sign_in_staff(client, north)
    text = page_text(client.get(url(north)))
    assert len(_rows(text)) == 3
    assert "Online payments are off" not in text
    assert app.extensions["stripe_http_client"].calls == []  # history only: nothing asked of Stripe


def test_text_from_stripe_and_names_are_escaped(app, client, two_bakeries):
    north, _ = two_bakeries
    cafe = make_customer(app, north, "<b>Bold</b> Café")["id"]
    add_attempt(
        app,
        north,
        cafe,
        failure_message='<script>alert("x")</script>',
        payment_intent_id="pi_<i>x</i>",
    )
    sign_in_staff(client, north)
    raw = client.get(url(north)).get_data(as_text=True)
    assert "<script>alert" not in raw and "&lt;script&gt;" in raw
    assert "<b>Bold</b>" not in raw and "&lt;b&gt;Bold&lt;/b&gt;" in raw
    assert "pi_<i>" not in raw


def test_the_online_payments_and_payments_pages_link_to_it(app, client, two_bakeries):
    north, _ = two_bakeries
    sign_in_staff(client, north)
    target = f'href="{url(north)}"'
    assert target in client.get(f"/admin/{north.slug}/online-payments").get_data(as_text=True)
    assert target in client.get(f"/admin/{north.slug}/payments").get_data(as_text=True)


def test_many_attempts_are_paged(app, client, two_bakeries):
    from billing import online_attempts

    north, south = two_bakeries
    cafe = make_customer(app, north, "Café Aurora")["id"]
    count = online_attempts.PER_PAGE + 2
    for index in range(count):
        add_attempt(
            app,
            north,
            cafe,
            created_at=datetime(2026, 11, 1, tzinfo=UTC).replace(minute=index),
            payment_intent_id=f"pi_many_{index:03d}",
        )
    add_attempt(app, south, payment_intent_id="pi_south")
    sign_in_staff(client, north)
    first = page_text(client.get(url(north)))
    assert len(_rows(first)) == online_attempts.PER_PAGE
    assert "pi_many_051" in first and "Page 1 of 2" in first
    assert f'href="{url(north, "?page=2")}"' in client.get(url(north)).get_data(as_text=True)
    second = page_text(client.get(url(north, "?page=2")))
    assert [("pi_many_000" in r or "pi_many_001" in r) for r in _rows(second)] == [True, True]
    assert "pi_south" not in first + second
