"""Manual payments: allocation over several invoices, part payment, overpayment kept as account
credit and applied to the next invoice, voiding reverses; every test has a second bakery whose
identical data must not move."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from billing import payments
from tenants.errors import NotFound, PermissionDenied, ValidationFailed
from tests.support.catalog import tenant_of
from tests.support.factories import add_staff, make_customer, tenant_session
from tests.support.orders import customer_row, staff_row
from tests.support.receivables import add_invoice, invoice_row, record

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture
def books(app, two_bakeries):
    """In each bakery a café with three invoices: 40.00 due first, 25.00, then 60.00."""
    made = {}
    for bakery in two_bakeries:
        cafe = make_customer(app, bakery, "Café Aurora")["id"]
        invoices = [
            add_invoice(app, bakery, cafe, total=4_000, due_date=date(2026, 11, 10)),
            add_invoice(app, bakery, cafe, total=2_500, due_date=date(2026, 11, 17)),
            add_invoice(app, bakery, cafe, total=6_000, due_date=date(2026, 11, 30)),
        ]
        made[bakery.slug] = (cafe, invoices)
    return made


def _state(app, bakery, invoice_ids, today=date(2026, 11, 20)):
    with tenant_session(app, bakery.id) as session:
        rows = [invoice_row(session, i) for i in invoice_ids]
        return [(r.paid_minor, r.balance_minor, r.status(today)) for r in rows]


def _credit(app, bakery, customer_id):
    with tenant_session(app, bakery.id) as session:
        return payments.account_credit(session, customer_id)


def test_a_payment_with_no_split_pays_the_oldest_invoices_first(app, two_bakeries, books):
    north, south = two_bakeries
    cafe, invoices = books[north.slug]
    record(app, north, cafe, 5_000)
    assert _state(app, north, invoices) == [
        (4_000, 0, "paid"),
        (1_000, 1_500, "overdue"),
        (0, 6_000, "open"),
    ]
    assert _credit(app, north, cafe) == 0
    # The other bakery's identical café is untouched.
    assert [s[0] for s in _state(app, south, books[south.slug][1])] == [0, 0, 0]


def test_a_payment_split_by_hand_over_several_invoices_part_pays_one(app, two_bakeries, books):
    north, _ = two_bakeries
    cafe, (first, second, third) = books[north.slug]
    record(app, north, cafe, 5_000, allocations={str(second): 2_500, str(third): 2_500})
    assert _state(app, north, [first, second, third]) == [
        (0, 4_000, "overdue"),
        (2_500, 0, "paid"),
        (2_500, 3_500, "partially_paid"),
    ]


def test_an_overpayment_is_kept_as_credit_and_applied_to_the_next_invoice(app, two_bakeries, books):
    north, south = two_bakeries
    cafe, invoices = books[north.slug]
    record(app, north, cafe, 15_000)  # 125.00 owed, 150.00 paid
    assert [s[2] for s in _state(app, north, invoices)] == ["paid", "paid", "paid"]
    assert _credit(app, north, cafe) == 2_500
    assert _credit(app, south, books[south.slug][0]) == 0

    later = add_invoice(app, north, cafe, total=4_000, due_date=date(2026, 12, 15))
    with tenant_session(app, north.id) as session:
        invoice = invoice_row(session, later)
        applied = payments.apply_account_credit(
            session, tenant_of(session, north), invoice, actor=None, now=NOW
        )
    assert applied == 2_500
    assert _state(app, north, [later]) == [(2_500, 1_500, "partially_paid")]
    assert _credit(app, north, cafe) == 0

    # With no credit left the next invoice gets nothing.
    again = add_invoice(app, north, cafe, total=1_000, due_date=date(2026, 12, 20))
    with tenant_session(app, north.id) as session:
        assert (
            payments.apply_account_credit(
                session, tenant_of(session, north), invoice_row(session, again), now=NOW
            )
            == 0
        )


def test_credit_from_two_payments_is_used_oldest_first(app, two_bakeries):
    north, _ = two_bakeries
    cafe = make_customer(app, north, "Credit Café")["id"]
    older = record(app, north, cafe, 1_000, on=date(2026, 11, 1))
    newer = record(app, north, cafe, 3_000, on=date(2026, 11, 5))
    invoice = add_invoice(app, north, cafe, total=2_000)
    with tenant_session(app, north.id) as session:
        payments.apply_account_credit(
            session, tenant_of(session, north), invoice_row(session, invoice), now=NOW
        )
        assert payments.get_payment(session, older).unallocated_minor == 0
        assert payments.get_payment(session, newer).unallocated_minor == 2_000
    assert _credit(app, north, cafe) == 2_000


def test_voiding_a_payment_reverses_its_allocations_and_its_credit(app, two_bakeries, books):
    north, south = two_bakeries
    cafe, invoices = books[north.slug]
    payment_id = record(app, north, cafe, 13_000)
    their_payment = record(app, south, books[south.slug][0], 13_000)
    assert _credit(app, north, cafe) == 500
    with tenant_session(app, north.id) as session:
        payment = payments.get_payment(session, payment_id)
        reversed_ = payments.void_payment(
            session, tenant_of(session, north), actor=None, payment=payment, reason="Bounced"
        )
        assert sorted(amount for _, amount in reversed_) == [2_500, 4_000, 6_000]
    assert _state(app, north, invoices) == [
        (0, 4_000, "overdue"),
        (0, 2_500, "overdue"),
        (0, 6_000, "open"),
    ]
    assert _credit(app, north, cafe) == 0
    # Voiding twice is refused; the other bakery's payment still stands.
    with tenant_session(app, north.id) as session, pytest.raises(ValidationFailed):
        payments.void_payment(
            session,
            tenant_of(session, north),
            actor=None,
            payment=payments.get_payment(session, payment_id),
        )
    assert [s[2] for s in _state(app, south, books[south.slug][1])] == ["paid"] * 3
    with tenant_session(app, south.id) as session:
        assert not payments.get_payment(session, their_payment).is_void


def test_applied_credit_is_reversed_when_its_payment_is_voided(app, two_bakeries):
    north, _ = two_bakeries
    cafe = make_customer(app, north, "Void Café")["id"]
    payment_id = record(app, north, cafe, 3_000)
    invoice = add_invoice(app, north, cafe, total=2_000, due_date=date(2026, 12, 1))
    with tenant_session(app, north.id) as session:
        tenant = tenant_of(session, north)
        payments.apply_account_credit(session, tenant, invoice_row(session, invoice), now=NOW)
        payments.void_payment(
            session, tenant, actor=None, payment=payments.get_payment(session, payment_id)
        )
    assert _state(app, north, [invoice]) == [(0, 2_000, "open")]


@pytest.mark.parametrize(
    ("split", "message"),
    [
        ({"first": 4_001}, "less than that left to pay"),
        ({"first": 4_000, "second": 2_500}, "add up to more than the payment"),
    ],
)
def test_a_split_beyond_a_balance_or_the_payment_is_refused_and_nothing_written(
    app, two_bakeries, books, split, message
):
    north, _ = two_bakeries
    cafe, (first, second, _) = books[north.slug]
    ids = {"first": str(first), "second": str(second)}
    with pytest.raises(ValidationFailed, match=message):
        record(app, north, cafe, 5_000, allocations={ids[k]: v for k, v in split.items()})
    assert _state(app, north, [first, second])[0][0] == 0


def test_another_customers_or_bakerys_invoice_cannot_be_paid(app, two_bakeries, books):
    north, south = two_bakeries
    cafe, _ = books[north.slug]
    other = add_invoice(app, north, total=1_000)  # another customer of the same bakery
    theirs = books[south.slug][1][0]
    for invoice_id in (other, theirs):
        with pytest.raises(NotFound):
            record(app, north, cafe, 1_000, allocations={str(invoice_id): 1_000})


def test_a_void_invoice_takes_no_payment_and_no_credit(app, two_bakeries):
    north, _ = two_bakeries
    cafe = make_customer(app, north, "Void Invoice Café")["id"]
    void = add_invoice(app, north, cafe, total=1_000, voided=True)
    with pytest.raises(ValidationFailed, match="nothing left to pay"):
        record(app, north, cafe, 1_000, allocations={str(void): 1_000})
    record(app, north, cafe, 1_000)
    assert _credit(app, north, cafe) == 1_000  # nothing open: all of it is credit
    with tenant_session(app, north.id) as session:
        assert (
            payments.apply_account_credit(
                session, tenant_of(session, north), invoice_row(session, void), now=NOW
            )
            == 0
        )


def test_only_staff_who_record_payments_may(app, two_bakeries, books):
    north, _ = two_bakeries
    cafe, _ = books[north.slug]
    production = add_staff(app, north, email="oven@example.com", role="production")
    with tenant_session(app, north.id) as session, pytest.raises(PermissionDenied):
        payments.record_payment(
            session,
            tenant_of(session, north),
            actor=staff_row(session, production),
            customer=customer_row(session, cafe),
            method="cash",
            amount_minor=100,
            received_on=date(2026, 11, 20),
            now=NOW,
        )


def test_a_payment_dated_tomorrow_at_the_bakery_is_refused(app, two_bakeries, books):
    north, _ = two_bakeries
    cafe, _ = books[north.slug]
    with tenant_session(app, north.id) as session, pytest.raises(ValidationFailed, match="fut"):
        payments.record_payment(
            session,
            tenant_of(session, north),
            actor=None,
            customer=customer_row(session, cafe),
            method="cheque",
            amount_minor=100,
            received_on=date(2026, 11, 21),
            now=NOW,
        )


def test_staff_apply_credit_to_open_invoices_oldest_first(app, two_bakeries, books):
    north, _ = two_bakeries
    cafe, invoices = books[north.slug]
    # Paid with everything against the newest invoice; the rest waits as credit.
    record(app, north, cafe, 10_000, allocations={str(invoices[2]): 6_000})
    assert _credit(app, north, cafe) == 4_000
    with tenant_session(app, north.id) as session:
        applied = payments.apply_credit_to_open_invoices(
            session,
            tenant_of(session, north),
            actor=None,
            customer=customer_row(session, cafe),
            now=NOW,
        )
    assert applied == 4_000
    assert [s[1] for s in _state(app, north, invoices)] == [0, 2_500, 0]
