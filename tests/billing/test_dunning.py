"""Payment reminders under frozen time: each step of the bakery's schedule once per invoice even
when the daily job runs twice, none once the invoice is paid or voided, the day decided on the
bakery's clock, and only to people who may see the invoice."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from billing.dunning import send_due_reminders
from billing.receivables_models import InvoiceReminder
from billing.receivables_settings import update_settings
from tenants.outbox import OutboundEmail
from tests.support.catalog import tenant_of
from tests.support.factories import add_contact, make_customer, tenant_session
from tests.support.orders import set_timezone
from tests.support.receivables import add_invoice, record

DUE = date(2026, 11, 20)


@pytest.fixture
def cafes(app, two_bakeries):
    """In each bakery: a café with an invoice due on DUE (issued 14 days before), an account
    owner who sees invoices, a buyer who may not, and a location buyer of another location."""
    made = {}
    for bakery in two_bakeries:
        cafe = make_customer(app, bakery, "Café Aurora", billing_email="accounts@aurora.example")
        add_contact(app, bakery, cafe["id"], email="owner@aurora.example", is_owner=True)
        add_contact(app, bakery, cafe["id"], email="buyer@aurora.example")  # no view_invoices
        add_contact(
            app,
            bakery,
            cafe["id"],
            email="harbour@aurora.example",
            access_level="location",
            location_id=cafe["locations"]["Harbour"],
            grants=("view_orders", "view_invoices"),
        )
        invoice = add_invoice(
            app,
            bakery,
            cafe["id"],
            total=4_200,
            issue_date=date(2026, 11, 6),
            due_date=DUE,
            location_id=cafe["locations"]["Main Street"],
            bill_to_email="accounts@aurora.example",
        )
        made[bakery.slug] = (cafe["id"], invoice)
    return made


def _run(app, bakery, at: datetime) -> int:
    with tenant_session(app, bakery.id) as session:
        return send_due_reminders(session, tenant_of(session, bakery), now=at)


def _steps(app, bakery, invoice_id) -> list[int]:
    with tenant_session(app, bakery.id) as session:
        return sorted(
            session.scalars(
                select(InvoiceReminder.step).where(InvoiceReminder.invoice_id == invoice_id)
            )
        )


def _reminder_mail(app, bakery) -> list[tuple[str, str]]:
    with tenant_session(app, bakery.id) as session:
        rows = session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.template == "payment_reminder")
            .order_by(OutboundEmail.created_at, OutboundEmail.to_email)
        )
        return [(r.to_email, r.context["when"]) for r in rows]


def at(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_each_step_goes_once_even_when_the_job_runs_twice(app, two_bakeries, cafes):
    north, south = two_bakeries
    _, invoice = cafes[north.slug]
    assert _run(app, north, at(date(2026, 11, 16))) == 0  # 4 days before: nothing yet
    for day, expected in [
        (date(2026, 11, 17), [-3]),
        (date(2026, 11, 20), [-3, 0]),
        (date(2026, 11, 27), [-3, 0, 7]),
        (date(2026, 12, 4), [-3, 0, 7, 14]),
    ]:
        assert _run(app, north, at(day)) == 1
        assert _run(app, north, at(day, hour=15)) == 0  # the same day again
        assert _steps(app, north, invoice) == expected
    assert _run(app, north, at(date(2026, 12, 30))) == 0  # past the last step
    # Two addresses per step: the owner and the account's billing address, never the buyer
    # without the permission nor the buyer of another location.
    sent = _reminder_mail(app, north)
    assert len(sent) == 8
    assert {to for to, _ in sent} == {"owner@aurora.example", "accounts@aurora.example"}
    assert [when for _, when in sent[::2]] == ["before", "today", "after", "after"]
    # The other bakery ran no job: nothing of theirs moved.
    assert _steps(app, south, cafes[south.slug][1]) == []
    assert _reminder_mail(app, south) == []


def test_a_late_job_catches_up_with_the_latest_step_only(app, two_bakeries, cafes):
    north, _ = two_bakeries
    _, invoice = cafes[north.slug]
    assert _run(app, north, at(date(2026, 11, 29))) == 1
    assert _steps(app, north, invoice) == [7]
    assert _run(app, north, at(date(2026, 11, 30))) == 0


def test_no_reminder_once_the_invoice_is_paid(app, two_bakeries, cafes):
    north, south = two_bakeries
    cafe, invoice = cafes[north.slug]
    assert _run(app, north, at(date(2026, 11, 17))) == 1
    record(app, north, cafe, 4_200, on=date(2026, 11, 18))
    for day in (date(2026, 11, 20), date(2026, 11, 27), date(2026, 12, 4)):
        assert _run(app, north, at(day)) == 0
    assert _steps(app, north, invoice) == [-3]
    # The other bakery's unpaid twin is still chased.
    assert _run(app, south, at(date(2026, 11, 20))) == 1


def test_a_part_payment_does_not_stop_reminders(app, two_bakeries, cafes):
    north, _ = two_bakeries
    cafe, invoice = cafes[north.slug]
    record(app, north, cafe, 1_000, on=date(2026, 11, 18))
    assert _run(app, north, at(date(2026, 11, 27))) == 1
    with tenant_session(app, north.id) as session:
        mail = session.scalar(
            select(OutboundEmail).where(OutboundEmail.template == "payment_reminder").limit(1)
        )
        assert mail.context["balance_minor"] == 3_200


def test_no_reminder_for_a_void_invoice(app, two_bakeries):
    north, _ = two_bakeries
    cafe = make_customer(app, north, "Void Café", billing_email="void@example.com")["id"]
    void = add_invoice(app, north, cafe, due_date=DUE, voided=True, bill_to_email="v@example.com")
    assert _run(app, north, at(date(2026, 11, 27))) == 0
    assert _steps(app, north, void) == []


def test_the_day_is_the_bakerys_own_at_midnight(app, two_bakeries, cafes):
    """23:30 UTC on the 19th is already the due date in Berlin, still the 19th in London."""
    north, south = two_bakeries
    set_timezone(app, north, "Europe/Berlin")
    moment = datetime(2026, 11, 19, 23, 30, tzinfo=UTC)
    _run(app, north, moment)
    _run(app, south, moment)
    assert _steps(app, north, cafes[north.slug][1]) == [0]
    assert _steps(app, south, cafes[south.slug][1]) == [-3]
    # Half an hour earlier it is the 19th in Berlin too.
    set_timezone(app, north, "Europe/London")
    set_timezone(app, south, "Europe/Berlin")
    _run(app, south, datetime(2026, 11, 19, 22, 59, tzinfo=UTC))
    assert _steps(app, south, cafes[south.slug][1]) == [-3]


def test_the_bakerys_own_schedule_and_switching_reminders_off(app, two_bakeries, cafes):
    north, south = two_bakeries
    with tenant_session(app, north.id) as session:
        update_settings(
            session,
            tenant_of(session, north),
            actor=None,
            reminders_enabled=True,
            steps=[1, 10],
            statements_enabled=True,
            statement_day=1,
            xero_account_code="200",
            xero_tax_type="{rate}%",
            xero_zero_tax_type="No VAT",
        )
    assert _run(app, north, at(date(2026, 11, 20))) == 0  # no due-date step any more
    assert _run(app, north, at(date(2026, 11, 21))) == 1
    assert _steps(app, north, cafes[north.slug][1]) == [1]
    with tenant_session(app, south.id) as session:
        update_settings(
            session,
            tenant_of(session, south),
            actor=None,
            reminders_enabled=False,
            steps=[0],
            statements_enabled=True,
            statement_day=1,
            xero_account_code="200",
            xero_tax_type="{rate}%",
            xero_zero_tax_type="No VAT",
        )
    assert _run(app, south, at(date(2026, 11, 20))) == 0


def test_the_daily_task_runs_once_per_local_day_through_the_schedule(app, two_bakeries, cafes):
    """The registered task: the dispatcher's job for 08:00 at the bakery, run twice."""
    from jobs.schedule import TENANT_TASKS, run_periodic

    north, _ = two_bakeries
    task = TENANT_TASKS["payment_reminders"]
    with freeze_time("2026-11-20 08:05:00"):
        period = task.due_occurrence(datetime(2026, 11, 20, 8, 5, tzinfo=UTC), "Europe/London")
        assert period == "2026-11-20T08:00"
        for expected in ("ran", "already-ran"):
            with tenant_session(app, north.id) as session:
                assert run_periodic(tenant_of(session, north), "payment_reminders", period) == (
                    expected
                )
    assert _steps(app, north, cafes[north.slug][1]) == [0]


def test_the_reminder_email_speaks_the_bakerys_language(app, two_bakeries, cafes, mailbox):
    north, _ = two_bakeries
    with tenant_session(app, north.id) as session:
        tenant_of(session, north).locale = "de_DE"
    mailbox.clear()
    with freeze_time("2026-11-27 08:00:00"):
        _run(app, north, at(date(2026, 11, 27)))
    subjects = {m["Subject"] for m in mailbox.messages}
    assert subjects == {"Überfällig: Rechnung INV-2026-0001 war am 20.11.2026 fällig"}
    body = mailbox.messages[0].get_body(("plain",)).get_content()
    assert "seit 7 Tagen überfällig" in body and "42,00" in body
