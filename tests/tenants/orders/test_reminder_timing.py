"""When the weekly reminder goes out: the customer's own day and time or the default, in each
bakery's timezone and across DST changes, once per customer and week however often the
scheduler fires; only to contacts who may order and did not opt out."""

from __future__ import annotations

from datetime import UTC, datetime, time

from freezegun import freeze_time
from sqlalchemy import select

from tenants.orders.reminders import reminder_at, reminder_slot
from tests.jobs.helpers import outbox_rows, run_job
from tests.support.catalog import tenant_of
from tests.support.factories import add_contact, tenant_session
from tests.support.orders import customer_row, set_timezone


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _set_reminder(app, shop, weekday, at):
    from tenants.orders.reminders import set_reminder_time

    with tenant_session(app, shop.bakery.id) as session:
        set_reminder_time(
            session,
            tenant_of(session, shop.bakery),
            actor=None,
            customer=customer_row(session, shop.ids["id"]),
            weekday=weekday,
            at=at,
        )


def _reminders(app, shop) -> list[tuple[str, str]]:
    return [
        (row["to"], row["status"])
        for row in outbox_rows(app, shop.bakery)
        if row["subject"].startswith("Time to order") or row["status"] == "suppressed"
    ]


def _dispatch(app, when: str) -> None:
    with freeze_time(when):
        run_job(app, "jobs.schedule.dispatch", None)


def _weekly(app, shop) -> list:
    from tenants.outbox import OutboundEmail

    with tenant_session(app, shop.bakery.id) as session:
        return list(
            session.scalars(
                select(OutboundEmail.to_email).where(OutboundEmail.template == "weekly_reminder")
            )
        )


def _slot(app, shop, monday):
    from tenants.orders.calendar import load_schedule
    from tenants.orders.reminders import get_setting

    with tenant_session(app, shop.bakery.id) as session:
        tenant = tenant_of(session, shop.bakery)
        customer = customer_row(session, shop.ids["id"])
        schedule = load_schedule(session, tenant, first=monday, last=monday)
        slot = reminder_slot(schedule, customer, get_setting(session, customer))
        return slot, reminder_at(schedule, slot, monday)


def test_the_default_is_two_days_before_the_first_delivery_cut_off_else_sunday_2am(app, shops):
    from datetime import date

    north, south = shops
    # Tuesday and Thursday deliveries close at 14:00 the day before: Tuesday's closes Monday
    # 14:00, so the reminder goes Saturday 14:00 (London, GMT in December).
    slot, at = _slot(app, north, date(2026, 12, 7))
    assert slot == (5, time(14)) and at == _utc("2026-12-12 14:00")
    # A customer delivered only on days the bakery does not deliver: Sunday 02:00.
    with tenant_session(app, south.bakery.id) as session:
        customer_row(session, south.ids["id"]).delivery_weekdays = [6]
    assert _slot(app, south, date(2026, 12, 7))[0] == (6, time(2))
    # Staff's own choice wins.
    _set_reminder(app, north, 2, time(7, 30))
    assert _slot(app, north, date(2026, 12, 7)) == ((2, time(7, 30)), _utc("2026-12-09 07:30"))


def test_each_bakery_reminds_at_its_own_local_time_once_per_customer_and_week(app, shops):
    north, south = shops
    set_timezone(app, south.bakery, "Pacific/Auckland")
    _set_reminder(app, north, 0, time(16, 0))  # Monday 16:00 London = 16:00 UTC
    _set_reminder(app, south, 0, time(16, 0))  # Monday 16:00 Auckland (NZDT) = 03:00 UTC
    _dispatch(app, "2026-12-07 02:59")
    assert _weekly(app, north) == _weekly(app, south) == []
    _dispatch(app, "2026-12-07 03:05")
    assert (_weekly(app, north), _weekly(app, south)) == ([], ["buyer@example.com"])
    _dispatch(app, "2026-12-07 16:05")
    _dispatch(app, "2026-12-07 16:15")  # the dispatcher fires again within the hour
    _dispatch(app, "2026-12-07 17:05")  # and the next hour, still inside the window
    assert _weekly(app, north) == ["buyer@example.com"]
    # Staff move the time later the same week: no second reminder this week...
    _set_reminder(app, north, 2, time(9, 0))
    _dispatch(app, "2026-12-09 09:05")
    assert _weekly(app, north) == ["buyer@example.com"]
    # ...but the next week's goes out at the new time.
    _dispatch(app, "2026-12-16 09:05")
    assert _weekly(app, north) == ["buyer@example.com"] * 2
    assert _weekly(app, south) == ["buyer@example.com"]


def test_a_reminder_time_in_the_spring_forward_gap_goes_out_when_the_clocks_jump(app, shops):
    north, south = shops
    set_timezone(app, south.bakery, "America/New_York")
    # London: 01:30 on Sunday 28 March 2027 does not exist (01:00 GMT -> 02:00 BST).
    _set_reminder(app, north, 6, time(1, 30))
    # New York: the default Sunday 02:00 on 14 March 2027 does not exist (02:00 EST -> 03:00 EDT).
    with tenant_session(app, south.bakery.id) as session:
        customer_row(session, south.ids["id"]).delivery_weekdays = [6]
    _dispatch(app, "2027-03-14 06:59")  # 01:59 EST
    assert _weekly(app, south) == []
    _dispatch(app, "2027-03-14 07:00")  # the jump: 03:00 EDT
    assert _weekly(app, south) == ["buyer@example.com"]
    _dispatch(app, "2027-03-28 00:59")
    assert _weekly(app, north) == []
    _dispatch(app, "2027-03-28 01:00")  # 02:00 BST, the first moment at or past 01:30
    assert _weekly(app, north) == ["buyer@example.com"]
    # The week after the change, the same wall-clock times are an hour earlier in UTC.
    _dispatch(app, "2027-03-21 06:05")  # 02:05 EDT on 21 March
    assert _weekly(app, south) == ["buyer@example.com"] * 2
    _dispatch(app, "2027-04-04 00:35")  # 01:35 BST on 4 April
    assert _weekly(app, north) == ["buyer@example.com"] * 2


def test_a_fall_back_reminder_goes_out_once_at_the_first_of_the_two_local_times(app, shops):
    north, _ = shops
    _set_reminder(app, north, 6, time(1, 30))  # 01:30 happens twice on 25 October 2026
    _dispatch(app, "2026-10-25 00:35")  # 01:35 BST, the first 01:30
    _dispatch(app, "2026-10-25 01:35")  # 01:35 GMT, the second one
    _dispatch(app, "2026-10-25 02:10")
    assert _weekly(app, north) == ["buyer@example.com"]


def test_only_contacts_who_may_order_get_it_and_an_opt_out_is_respected(app, shops, mailbox):
    from tenants.mail_preferences import EmailOptOut

    north, south = shops
    customer = north.ids["id"]
    add_contact(app, north.bakery, customer, email="viewer@example.com", grants=("view_orders",))
    add_contact(app, north.bakery, customer, email="gone@example.com", status="disabled")
    add_contact(app, north.bakery, customer, email="quiet@example.com")
    with tenant_session(app, north.bakery.id) as session:
        session.add(
            EmailOptOut(tenant_id=north.bakery.id, email="quiet@example.com", category="reminders")
        )
    with tenant_session(app, south.bakery.id) as session:  # the same address at the other bakery
        session.add(
            EmailOptOut(tenant_id=south.bakery.id, email="buyer@example.com", category="reminders")
        )
    _set_reminder(app, north, 0, time(16))
    _set_reminder(app, south, 0, time(16))
    _dispatch(app, "2026-12-07 16:05")
    assert sorted(_reminders(app, north)) == [
        ("buyer@example.com", "sent"),
        ("quiet@example.com", "suppressed"),
    ]
    assert _reminders(app, south) == [("buyer@example.com", "suppressed")]
    sent = [m for m in mailbox.messages if m["Subject"].startswith("Time to order")]
    assert [m["To"] for m in sent] == ["Alex Buyer <buyer@example.com>"]
    assert "North Bakery" in sent[0]["From"]
    assert sent[0]["List-Unsubscribe"].startswith("<http")


def test_no_reminder_without_the_tier_feature_or_for_a_customer_who_may_not_order(app, shops):
    from tenants.models import Plan, Tenant
    from tests.support.factories import platform_session

    north, south = shops
    with platform_session(app) as session:
        starter = session.scalar(select(Plan).where(Plan.code == "starter"))
        tenant = session.get(Tenant, south.bakery.id)
        tenant.plan_id, tenant.plan = starter.id, starter
    with tenant_session(app, north.bakery.id) as session:
        customer_row(session, north.ids["id"]).may_order_online = False
    _set_reminder(app, north, 0, time(16))
    _set_reminder(app, south, 0, time(16))
    _dispatch(app, "2026-12-07 16:05")
    assert _weekly(app, north) == _weekly(app, south) == []


def test_a_retried_or_duplicate_customer_job_writes_the_week_once(app, shops):
    north, south = shops
    _set_reminder(app, north, 0, time(16))
    _dispatch(app, "2026-12-07 16:05")
    with freeze_time("2026-12-07 16:20"):
        for _ in range(2):  # RQ hands the same job out again, or a retry runs it
            args = (str(north.bakery.id), str(north.ids["id"]), "2026-W50")
            assert run_job(app, "jobs.reminders.remind_customer", *args) == 0
        # The other bakery's customer of the same week is its own claim.
        args = (str(south.bakery.id), str(south.ids["id"]), "2026-W50")
        assert run_job(app, "jobs.reminders.remind_customer", *args) == 1
    assert _weekly(app, north) == _weekly(app, south) == ["buyer@example.com"]
