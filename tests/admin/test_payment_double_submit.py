"""Recording a payment is safe against a double submit: the form carries a random idempotency
key, a second submit of the same form (a double click, a retry after a timeout) records
nothing and lands on the first payment with a message saying so; a fresh form records anew;
another bakery's identical key is its own. Two bakeries each time."""

from __future__ import annotations

import re
from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from billing.receivables_models import Payment
from tests.support.factories import make_customer, sign_in_staff, tenant_session
from tests.support.receivables import add_invoice, invoice_row


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time("2026-11-20 12:00:00"):
        yield


@pytest.fixture
def cafes(app, two_bakeries):
    made = {}
    for bakery in two_bakeries:
        cafe = make_customer(app, bakery, "Café Aurora")["id"]
        invoice = add_invoice(app, bakery, cafe, total=5_000, due_date=date(2026, 12, 1))
        made[bakery.slug] = (cafe, invoice)
    return made


def _form(client, bakery, cafe) -> tuple[str, str]:
    """The payment form's url and the idempotency key it was rendered with."""
    url = f"/admin/{bakery.slug}/customers/{cafe}/payments/new"
    html = client.get(url).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="idempotency_key"[^>]*>', html).group(0)
    assert 'type="hidden"' in tag
    return url, re.search(r'value="([^"]+)"', tag).group(1)


def _post(client, url, key, invoice, amount="50.00"):
    return client.post(
        url,
        data={
            "amount": amount,
            "received_on": "2026-11-20",
            "method": "bank_transfer",
            "reference": "TRF 7",
            f"alloc_{invoice.hex}": amount,
            "idempotency_key": key,
        },
    )


def _payments(app, bakery):
    with tenant_session(app, bakery.id) as session:
        return [(p.id, p.amount_minor) for p in session.scalars(select(Payment))]


def _paid(app, bakery, invoice_id):
    with tenant_session(app, bakery.id) as session:
        return invoice_row(session, invoice_id).paid_minor


def test_a_double_submit_records_one_payment_and_both_answers_land_on_it(
    app, client, two_bakeries, cafes
):
    north, south = two_bakeries
    cafe, invoice = cafes[north.slug]
    sign_in_staff(client, north)
    url, key = _form(client, north, cafe)
    first = _post(client, url, key, invoice, amount="30.00")
    assert first.status_code == 302
    assert "recorded: " in client.get(first.headers["Location"]).get_data(as_text=True)
    # The repeat's 30.00 is more than the 20.00 now left: it must not be refused, nor recorded.
    second = _post(client, url, key, invoice, amount="30.00")
    assert second.status_code == 302, second.get_data(as_text=True)[:2000]
    assert second.headers["Location"] == first.headers["Location"]
    shown = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "already recorded; it was not recorded a second time" in shown
    [(payment_id, amount)] = _payments(app, north)
    assert amount == 3_000 and str(payment_id) in first.headers["Location"]
    assert _paid(app, north, invoice) == 3_000
    assert _payments(app, south) == []


def test_two_forms_record_two_payments(app, client, two_bakeries, cafes):
    north, _ = two_bakeries
    cafe, invoice = cafes[north.slug]
    sign_in_staff(client, north)
    url, key = _form(client, north, cafe)
    _, other_key = _form(client, north, cafe)
    assert key != other_key
    first = _post(client, url, key, invoice, amount="20.00")
    second = _post(client, url, other_key, invoice, amount="20.00")
    assert first.headers["Location"] != second.headers["Location"]
    assert sorted(amount for _, amount in _payments(app, north)) == [2_000, 2_000]
    assert _paid(app, north, invoice) == 4_000


def test_a_refused_submit_keeps_its_key_so_the_corrected_one_records_once(
    app, client, two_bakeries, cafes
):
    north, _ = two_bakeries
    cafe, invoice = cafes[north.slug]
    sign_in_staff(client, north)
    url, key = _form(client, north, cafe)
    refused = _post(client, url, key, invoice, amount="60.00")  # over the invoice's balance
    assert refused.status_code == 422
    assert f'name="idempotency_key" type="hidden" value="{key}"' in refused.get_data(as_text=True)
    assert _payments(app, north) == []
    assert _post(client, url, key, invoice).status_code == 302
    assert _post(client, url, key, invoice).status_code == 302
    assert [amount for _, amount in _payments(app, north)] == [5_000]


def test_another_bakerys_payment_with_the_same_key_is_its_own(app, client, two_bakeries, cafes):
    north, south = two_bakeries
    (north_cafe, north_invoice), (south_cafe, south_invoice) = cafes[north.slug], cafes[south.slug]
    sign_in_staff(client, north)
    url, key = _form(client, north, north_cafe)
    assert _post(client, url, key, north_invoice).status_code == 302
    client.post(f"/admin/{north.slug}/logout")
    sign_in_staff(client, south)
    south_url = f"/admin/{south.slug}/customers/{south_cafe}/payments/new"
    response = _post(client, south_url, key, south_invoice)
    assert response.status_code == 302
    [(south_payment, amount)] = _payments(app, south)
    assert amount == 5_000 and str(south_payment) in response.headers["Location"]
    assert _paid(app, south, south_invoice) == 5_000
    assert len(_payments(app, north)) == 1


def test_a_key_replayed_for_another_customer_is_refused_and_records_nothing(
    app, client, two_bakeries, cafes
):
    north, _ = two_bakeries
    cafe, invoice = cafes[north.slug]
    other = make_customer(app, north, "Bistro Bello")["id"]
    other_invoice = add_invoice(app, north, other, total=3_000, due_date=date(2026, 12, 1))
    sign_in_staff(client, north)
    url, key = _form(client, north, cafe)
    assert _post(client, url, key, invoice).status_code == 302
    forged = _post(
        client, f"/admin/{north.slug}/customers/{other}/payments/new", key, other_invoice, "30.00"
    )
    assert forged.status_code == 422
    assert "This form is out of date; reload the page." in forged.get_data(as_text=True)
    assert len(_payments(app, north)) == 1 and _paid(app, north, other_invoice) == 0
