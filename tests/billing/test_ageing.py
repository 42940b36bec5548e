"""Receivables ageing: each invoice in the right bucket at the boundaries (0, 1, 30, 31, 60, 61,
90 and 91 days past due), only what is owed (void and paid invoices out, part payments and
credit notes net), credit on account beside it, and the other bakery's books never mixed in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from billing.ageing import BUCKETS, ageing, bucket_for
from tests.support.factories import make_customer, tenant_session
from tests.support.receivables import add_invoice, record

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
        (400, "over_90"),
    ],
)
def test_bucket_for_days_past_due(days, bucket):
    assert bucket_for(days) == bucket


def test_the_sql_buckets_agree_at_every_boundary(app, two_bakeries):
    north, south = two_bakeries
    cafe = make_customer(app, north, "Boundary Café")["id"]
    # An invoice of (days + 1) euros for each boundary, so every bucket's sum names its members.
    for days in (0, 1, 30, 31, 60, 61, 90, 91):
        add_invoice(app, north, cafe, total=(days + 1) * 100, due_date=TODAY - timedelta(days))
    add_invoice(app, south, make_customer(app, south, "Boundary Café")["id"], total=99_900)
    with tenant_session(app, north.id) as session:
        table = ageing(session, today=TODAY)
    [row] = table.rows
    assert row.buckets == {
        "current": 100,
        "1_30": 200 + 3_100,
        "31_60": 3_200 + 6_100,
        "61_90": 6_200 + 9_100,
        "over_90": 9_200,
    }
    assert row.invoices == 8
    assert table.totals.buckets == row.buckets
    assert list(BUCKETS) == ["current", "1_30", "31_60", "61_90", "over_90"]


def test_only_what_is_owed_counts_and_credit_sits_beside_it(app, two_bakeries):
    north, south = two_bakeries
    owing = make_customer(app, north, "Owing")["id"]
    paid_up = make_customer(app, north, "Paid Up")["id"]
    in_credit = make_customer(app, north, "In Credit")["id"]
    part = add_invoice(app, north, owing, total=5_000, due_date=TODAY - timedelta(10))
    record(app, north, owing, 2_000, allocations={str(part): 2_000})
    add_invoice(app, north, owing, total=9_999, due_date=TODAY - timedelta(100), voided=True)
    add_invoice(app, north, paid_up, total=1_000, due_date=TODAY - timedelta(40))
    record(app, north, paid_up, 1_000)
    record(app, north, in_credit, 750)
    record(app, south, make_customer(app, south, "Theirs")["id"], 123)
    with tenant_session(app, north.id) as session:
        table = ageing(session, today=TODAY)
    rows = {row.name: row for row in table.rows}
    assert set(rows) == {"Owing", "In Credit"}
    assert rows["Owing"].buckets["1_30"] == 3_000 and rows["Owing"].total_minor == 3_000
    assert rows["In Credit"].total_minor == 0 and rows["In Credit"].credit_minor == 750
    assert table.totals.total_minor == 3_000 and table.totals.credit_minor == 750
    assert table.totals.overdue_minor == 3_000
