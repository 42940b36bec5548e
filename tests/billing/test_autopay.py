"""Pay automatically: a buyer saves a card (setup-mode Checkout on the bakery's account, then
the webhook), opts in, and the daily job charges each invoice off-session on its due date,
once; a paid invoice is left alone; a decline shows on the invoice and emails a pay link."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from tests.billing.test_invoice_payments import fee, invoice_state, payers  # noqa: F401
from tests.support.factories import sign_in_buyer, tenant_session
from tests.support.receivables import record
from tests.support.stripe_fake import event, post_event

FROZEN = "2026-12-07 10:00:00"
DUE = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # the first invoice's due date


def _run(app, payer, now):
    from billing.autopay import charge_due_invoices
    from tests.support.catalog import tenant_of

    with freeze_time(now), tenant_session(app, payer.bakery.id) as session:
        return charge_due_invoices(session, tenant_of(session, payer.bakery), now=now)


def save_card(app, client, stripe_fake, payer):
    """The buyer saves a card and opts in, through the portal and the webhook."""
    sign_in_buyer(client, payer.bakery, "payer@example.com")
    response = client.post(f"{payer.base}/account/autopay/card")
    assert response.status_code == 303
    (customer_call,) = stripe_fake.of("POST", "/v1/customers")
    (setup_call,) = stripe_fake.of("POST", "/v1/checkout/sessions")
    assert customer_call.header("Stripe-Account") == setup_call.header("Stripe-Account")
    assert setup_call.header("Stripe-Account") == "acct_south"
    assert customer_call.header("Idempotency-Key") == f"autopay-customer-{payer.customer_id}"
    assert setup_call.header("Idempotency-Key").startswith(f"autopay-setup-{payer.customer_id}-")
    assert setup_call.params["mode"] == "setup"
    customer_id = f"cus_test{customer_call.params and 1}"
    stripe_fake.put(
        {
            "id": "cs_setup",
            "object": "checkout.session",
            "mode": "setup",
            "status": "complete",
            "customer": customer_id,
            "setup_intent": "seti_1",
            "metadata": {"customer_id": str(payer.customer_id)},
        }
    )
    stripe_fake.put(
        {
            "id": "seti_1",
            "object": "setup_intent",
            "payment_method": {"id": "pm_1", "card": {"brand": "visa", "last4": "4242"}},
        }
    )
    body = event(
        "evt_setup", "checkout.session.completed", {"id": "cs_setup"}, account="acct_south"
    )
    assert post_event(client, "connect", body).status_code == 200
    page = client.get(f"{payer.base}/account/autopay").get_data(as_text=True)
    assert "visa •••• 4242" in page
    assert client.post(f"{payer.base}/account/autopay", data={"enabled": "1"}).status_code == 302
    assert "Automatic payment is on." in client.get(f"{payer.base}/account/autopay").get_data(
        as_text=True
    )


@pytest.fixture
def opted_in(app, client, stripe_fake, payers):  # noqa: F811 - the imported fixture
    north, south = payers
    with freeze_time(FROZEN):
        save_card(app, client, stripe_fake, south)
    return north, south


def test_charged_once_on_the_due_date_and_never_early(app, stripe_fake, opted_in):
    north, south = opted_in
    assert _run(app, south, datetime(2026, 12, 9, 9, 0, tzinfo=UTC)) == {}
    assert stripe_fake.of("POST", "/v1/payment_intents") == []

    assert list(_run(app, south, DUE).values()) == ["succeeded"]
    (charge,) = stripe_fake.of("POST", "/v1/payment_intents")
    first = south.invoices[0]
    assert charge.header("Stripe-Account") == "acct_south"
    assert charge.header("Idempotency-Key") == f"autopay-{first}"
    assert (charge.params["off_session"], charge.params["confirm"]) == ("true", "true")
    assert charge.params["payment_method"] == "pm_1"
    assert charge.params["amount"] == "12000"
    assert charge.params["metadata[invoice_ids]"] == str(first)
    assert invoice_state(app, south)[first] == (12_000, 0)

    # The job again the same day (a retry, a second worker): nothing more.
    assert _run(app, south, DUE) == {}
    assert len(stripe_fake.of("POST", "/v1/payment_intents")) == 1
    # North's invoices due the same day are North's business: untouched.
    assert all(paid == 0 for paid, _ in invoice_state(app, north).values())


def test_a_paid_invoice_is_not_charged(app, stripe_fake, opted_in):
    _, south = opted_in
    record(app, south.bakery, south.customer_id, 12_000, allocations={south.invoices[0]: 12_000})
    assert _run(app, south, DUE) == {}
    assert stripe_fake.of("POST", "/v1/payment_intents") == []


def test_a_decline_shows_on_the_invoice_and_emails_a_pay_link(app, client, stripe_fake, opted_in):
    from billing.online_models import OnlinePayment
    from tenants.outbox import OutboundEmail

    _, south = opted_in
    stripe_fake.off_session_outcome = "declined"
    assert list(_run(app, south, DUE).values()) == ["failed"]
    first = south.invoices[0]
    assert invoice_state(app, south)[first] == (0, 12_000)
    with tenant_session(app, south.bakery.id) as session:
        attempt = session.scalar(select(OnlinePayment).where(OnlinePayment.kind == "autopay"))
        assert (attempt.status, attempt.failure_message) == ("failed", "Your card was declined.")
        mails = [
            (m.to_email, m.template, m.context["portal_path"])
            for m in session.scalars(select(OutboundEmail))
        ]
    assert mails == [
        ("payer@example.com", "autopay_failed", f"/wholesale/south-bakery/invoices/{first}")
    ]
    with freeze_time(DUE):
        page = client.get(f"{south.base}/invoices/{first}").get_data(as_text=True)
    assert "Automatic payment failed" in page and "pay-online" in page
    # Not charged a second time by a later run.
    assert _run(app, south, DUE) == {}
    assert len(stripe_fake.of("POST", "/v1/payment_intents")) == 1


def test_the_buyer_opts_out_and_removes_the_card(app, client, stripe_fake, opted_in):
    _, south = opted_in
    with freeze_time(FROZEN):
        assert client.post(f"{south.base}/account/autopay/remove").status_code == 302
    (detach,) = stripe_fake.of("POST", "/v1/payment_methods/pm_1/detach")
    assert detach.header("Stripe-Account") == "acct_south"
    assert _run(app, south, DUE) == {}
    assert stripe_fake.of("POST", "/v1/payment_intents") == []
    assert date(2026, 12, 10) == DUE.date()
