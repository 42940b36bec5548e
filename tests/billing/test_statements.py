"""Statements: the monthly email goes once per customer and month, on the bakery's statement
day, only to customers owing money and only to people who see the whole account; staff can
email one on demand. Two bakeries each time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from billing.statements import email_statement, send_monthly_statements
from tenants.errors import ValidationFailed
from tenants.outbox import OutboundEmail
from tests.support.catalog import tenant_of
from tests.support.factories import add_contact, make_customer, tenant_session
from tests.support.orders import customer_row, set_timezone
from tests.support.receivables import add_invoice, record


@pytest.fixture
def owing(app, two_bakeries):
    made = {}
    for bakery in two_bakeries:
        cafe = make_customer(app, bakery, "Café Aurora", billing_email="accounts@aurora.example")
        add_contact(app, bakery, cafe["id"], email="owner@aurora.example", is_owner=True)
        add_contact(
            app,
            bakery,
            cafe["id"],
            email="harbour@aurora.example",
            access_level="location",
            location_id=cafe["locations"]["Harbour"],
            grants=("view_invoices",),
        )
        add_invoice(app, bakery, cafe["id"], total=4_200, due_date=date(2026, 11, 10))
        settled = make_customer(app, bakery, "Settled", billing_email="settled@example.com")
        add_invoice(app, bakery, settled["id"], total=1_000)
        record(app, bakery, settled["id"], 1_000)
        made[bakery.slug] = cafe["id"]
    return made


def _run(app, bakery, at):
    with tenant_session(app, bakery.id) as session:
        return send_monthly_statements(session, tenant_of(session, bakery), now=at)


def _sent(app, bakery):
    with tenant_session(app, bakery.id) as session:
        return sorted(
            (row.to_email, row.context["open_minor"])
            for row in session.scalars(
                select(OutboundEmail).where(OutboundEmail.template == "account_statement")
            )
        )


def test_the_monthly_statement_goes_once_on_the_statement_day(app, two_bakeries, owing):
    north, south = two_bakeries
    assert _run(app, north, datetime(2026, 11, 30, 9, tzinfo=UTC)) == 0  # not the day
    assert _sent(app, north) == []
    first = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    assert _run(app, north, first) == 1
    assert _run(app, north, first) == 0  # the job again: nothing twice
    assert _run(app, north, datetime(2026, 12, 2, 8, 30, tzinfo=UTC)) == 0  # catching up: done
    assert _sent(app, north) == [
        ("accounts@aurora.example", 4_200),
        ("owner@aurora.example", 4_200),
    ]
    assert _run(app, north, datetime(2027, 1, 1, 8, 30, tzinfo=UTC)) == 1  # January's
    assert _sent(app, south) == []


def test_the_statement_month_is_the_bakerys(app, two_bakeries, owing):
    north, south = two_bakeries
    set_timezone(app, north, "Europe/Berlin")
    late_evening = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 1 Dec in Berlin, 30 Nov in London
    assert _run(app, north, late_evening) == 1
    assert _run(app, south, late_evening) == 0
    # A job that could not run on the day catches up on the next days, not after them.
    assert _run(app, south, datetime(2026, 12, 3, 8, tzinfo=UTC)) == 1
    assert _run(app, south, datetime(2027, 1, 4, 8, tzinfo=UTC)) == 0


def test_staff_email_a_statement_on_demand(app, two_bakeries, owing):
    north, south = two_bakeries
    with tenant_session(app, north.id) as session:
        count = email_statement(
            session,
            tenant_of(session, north),
            actor=None,
            customer=customer_row(session, owing[north.slug]),
            now=datetime(2026, 11, 20, 12, tzinfo=UTC),
        )
    assert count == 2
    assert len(_sent(app, north)) == 2 and _sent(app, south) == []
    lonely = make_customer(app, north, "Nobody To Tell")["id"]
    with tenant_session(app, north.id) as session, pytest.raises(ValidationFailed):
        email_statement(
            session, tenant_of(session, north), actor=None, customer=customer_row(session, lonely)
        )


def test_the_statement_email_lists_the_open_invoices_in_the_bakerys_language(
    app, two_bakeries, owing, mailbox
):
    north, _ = two_bakeries
    record(app, north, owing[north.slug], 1_200, on=date(2026, 11, 12))  # part pays 12.00
    mailbox.clear()
    with tenant_session(app, north.id) as session:
        tenant_of(session, north).locale = "de_DE"
    with tenant_session(app, north.id) as session:
        send_monthly_statements(
            session, tenant_of(session, north), now=datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
        )
    subjects = {m["Subject"] for m in mailbox.messages}
    assert subjects == {"Ihr monatlicher Kontoauszug von North Bakery"}
    body = mailbox.messages[0].get_body(("plain",)).get_content()
    assert "INV-2026-0001" in body and "30,00" in body and "seit 21 Tagen überfällig" in body
    html = mailbox.messages[0].get_body(("html",)).get_content()
    assert "Offene Rechnungen" in html and "30,00" in html
