"""The list of online payment attempts behind the back office's follow-up page: what needs
attention (failed, disputed, refunded) by default, every attempt or one status on request,
newest first, a page at a time, in three statements however many rows, and only the bound
bakery's. Two bakeries with the same customers and amounts each time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from config.extensions import db
from tests.support.catalog import tenant_of
from tests.support.factories import make_customer, tenant_session
from tests.support.online import add_attempt
from tests.support.queries import count_queries
from tests.support.receivables import add_invoice

DAY = datetime(2026, 11, 1, 9, tzinfo=UTC)


def _page(app, bakery, **kwargs):
    from billing.online_attempts import attempts_page

    with tenant_session(app, bakery.id) as session:
        page = attempts_page(session, tenant_of(session, bakery), **kwargs)
        return page, [
            (
                row.attempt.payment_intent_id,
                row.attempt.status,
                row.customer_name,
                [number for _, number in row.invoices],
            )
            for row in page.rows
        ]


def _history(app, bakery, tag: str) -> dict:
    """One attempt of each kind a bakery meets, a day apart (oldest first); returns ids."""
    cafe = make_customer(app, bakery, "Café Aurora")["id"]
    first = add_invoice(app, bakery, cafe, total=4_000, number=f"INV-{tag}-1")
    second = add_invoice(app, bakery, cafe, total=6_000, number=f"INV-{tag}-2")
    made = {"cafe": cafe}
    specs = [
        ("paid", dict(status="succeeded", amount=4_000, invoice_ids=[first])),
        ("expired", dict(status="expired", invoice_ids=[second], amount=6_000)),
        ("open", dict(status="open", invoice_ids=[second], amount=6_000)),
        (
            "declined",
            dict(
                status="failed",
                invoice_ids=[first, second],
                amount=10_000,
                failure_message="Your card was declined.",
            ),
        ),
        (
            "autopay",
            dict(
                status="failed",
                kind="autopay",
                invoice_ids=[second],
                amount=6_000,
                failure_message="Your card has insufficient funds.",
            ),
        ),
    ]
    for index, (name, spec) in enumerate(specs):
        add_attempt(
            app,
            bakery,
            cafe,
            created_at=DAY + timedelta(days=index),
            payment_intent_id=f"pi_{tag}_{name}",
            **spec,
        )
    # Paid for by new invoices of their own: a dispute and a partial refund, newest.
    add_attempt(
        app,
        bakery,
        cafe,
        status="succeeded",
        amount=3_000,
        dispute_status="needs_response",
        created_at=DAY + timedelta(days=6),
        payment_intent_id=f"pi_{tag}_disputed",
    )
    add_attempt(
        app,
        bakery,
        cafe,
        status="succeeded",
        amount=2_000,
        refunded=500,
        created_at=DAY + timedelta(days=7),
        payment_intent_id=f"pi_{tag}_refunded",
    )
    return made


@pytest.fixture
def histories(app, two_bakeries):
    north, south = two_bakeries
    return _history(app, north, "N"), _history(app, south, "S")


def test_by_default_the_attempts_needing_attention_newest_first(app, two_bakeries, histories):
    north, _ = two_bakeries
    page, rows = _page(app, north)
    assert [r[0] for r in rows] == [
        "pi_N_refunded",
        "pi_N_disputed",
        "pi_N_autopay",
        "pi_N_declined",
    ]
    assert page.total == 4 and page.pages == 1
    declined = rows[3]
    assert declined[1] == "failed" and declined[2] == "Café Aurora"
    assert declined[3] == ["INV-N-1", "INV-N-2"]
    assert all(not r[0].startswith("pi_S") for r in rows)


def test_all_attempts_and_each_filter(app, two_bakeries, histories):
    north, south = two_bakeries
    _, every = _page(app, north, show="all")
    assert len(every) == 7 and all(r[0].startswith("pi_N_") for r in every)
    assert [r[0] for r in _page(app, north, show="all", status="expired")[1]] == ["pi_N_expired"]
    assert [r[0] for r in _page(app, north, show="failed", kind="autopay")[1]] == ["pi_N_autopay"]
    assert [r[0] for r in _page(app, north, show="disputed")[1]] == ["pi_N_disputed"]
    assert [r[0] for r in _page(app, north, show="refunded")[1]] == ["pi_N_refunded"]
    # Succeeded and needing attention: the disputed and the refunded payments.
    assert {r[0] for r in _page(app, north, status="succeeded")[1]} == {
        "pi_N_disputed",
        "pi_N_refunded",
    }
    # An unknown "show" is the default, not everything.
    assert len(_page(app, north, show="<bogus>")[1]) == 4
    mine, theirs = histories[0]["cafe"], histories[1]["cafe"]
    assert len(_page(app, north, show="all", customer_id=mine)[1]) == 7
    # Another bakery's customer finds nothing here, never that bakery's attempts.
    page, rows = _page(app, north, show="all", customer_id=theirs)
    assert page.total == 0 and rows == []


def test_pages_of_attempts(app, two_bakeries, histories):
    north, _ = two_bakeries
    first, rows = _page(app, north, show="all", per_page=3)
    assert (first.total, first.pages, first.page) == (7, 3, 1) and len(rows) == 3
    last, rows = _page(app, north, show="all", per_page=3, page=3)
    assert [r[0] for r in rows] == ["pi_N_paid"]
    beyond, rows = _page(app, north, show="all", per_page=3, page=99)
    assert beyond.page == 3 and [r[0] for r in rows] == ["pi_N_paid"]
    assert _page(app, north, show="all", per_page=3, page=-4)[0].page == 1


def test_money_on_the_invoices_matches_what_stripe_did(app, two_bakeries, histories):
    """The refunded payment is owed again by what was refunded; a disputed one stays paid."""
    from billing.models import Invoice
    from billing.online_models import OnlinePayment, OnlinePaymentInvoice

    north, _ = two_bakeries
    with tenant_session(app, north.id) as session:
        paid = dict(
            session.execute(
                select(OnlinePayment.payment_intent_id, Invoice.paid_minor)
                .join(
                    OnlinePaymentInvoice,
                    OnlinePaymentInvoice.online_payment_id == OnlinePayment.id,
                )
                .join(Invoice, Invoice.id == OnlinePaymentInvoice.invoice_id)
                .where(OnlinePayment.payment_intent_id.in_(["pi_N_disputed", "pi_N_refunded"]))
            ).all()
        )
    assert paid == {"pi_N_disputed": 3_000, "pi_N_refunded": 1_500}


def test_a_page_is_three_statements_for_2_rows_or_20(app, two_bakeries):
    from billing.online_attempts import attempts_page

    north, south = two_bakeries

    def add(count):
        for bakery in (north, south):
            for _ in range(count):
                add_attempt(app, bakery, failure_message="Your card was declined.")

    def statements() -> tuple[int, int]:
        with tenant_session(app, north.id) as session:
            tenant = tenant_of(session, north)
            with count_queries(db.engine) as counter:
                page = attempts_page(session, tenant)
            return counter.count, len(page.rows)

    add(2)
    few, two = statements()
    add(18)
    many, twenty = statements()
    assert (two, twenty) == (2, 20)
    assert few == many == 3


def test_the_list_is_only_for_the_sessions_bakery(app, two_bakeries):
    from billing.online_attempts import attempts_page
    from tenants.scoping import TenantMismatch

    north, south = two_bakeries
    with tenant_session(app, north.id) as session, pytest.raises(TenantMismatch):
        attempts_page(session, tenant_of(session, south))


def test_a_won_dispute_leaves_needs_attention_but_stays_under_disputed(
    app, two_bakeries, histories
):
    north, _ = two_bakeries
    won = add_attempt(
        app,
        north,
        histories[0]["cafe"],
        status="succeeded",
        amount=1_000,
        dispute_status="won",
        created_at=DAY + timedelta(days=8),
        payment_intent_id="pi_N_won",
    )
    assert won
    assert "pi_N_won" not in [r[0] for r in _page(app, north)[1]]
    assert [r[0] for r in _page(app, north, show="disputed")[1]] == ["pi_N_won", "pi_N_disputed"]
