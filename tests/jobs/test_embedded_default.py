"""The embedded default: SQLite, no Redis, jobs inline after commit, mail captured for /dev/mail.

A newcomer's first run. This app has its own SQLite file built by the real migrations, so the
relay's and the scheduler's SQL run on SQLite exactly as they do there.
"""

from __future__ import annotations

import html
import re

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from config.extensions import db
from tests.jobs.helpers import invite, outbox_rows, relay, run_job
from tests.support.factories import add_outbound_email, link_in, make_bakery, tenant_session


@pytest.fixture
def sqlite_app(tmp_path):
    from flask_migrate import upgrade

    from config.root.app import create_app
    from config.settings import Settings
    from jobs.transport import CaptureTransport

    settings = Settings.from_env(
        {
            "APP_ENV": "test",
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
            "BASE_URL": "https://bakery.test",
            "DEMO_MODE": "1",
        }
    )
    app = create_app(settings)
    app.config["WTF_CSRF_ENABLED"] = False
    # Capture into this test's folder, not the developer's instance/mail.
    app.extensions["mail_transport"] = CaptureTransport(tmp_path / "mail")
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_without_redis_an_invitation_is_sent_inline_and_readable_at_dev_mail(sqlite_app):
    from jobs.backends import InlineBackend

    assert isinstance(sqlite_app.extensions["job_backend"], InlineBackend)
    north = make_bakery(sqlite_app, "north-bakery")
    south = make_bakery(sqlite_app, "south-bakery")
    invite(sqlite_app.test_client(), north, email="new.baker@example.com")

    client = sqlite_app.test_client()
    inbox = client.get("/dev/mail/")
    assert inbox.status_code == 200
    assert b"Owner north-bakery invited you to North Bakery" in inbox.data
    [message] = sqlite_app.extensions["mail_transport"].messages()
    shown = client.get(f"/dev/mail/{message['X-Outbox-Id']}")
    assert shown.status_code == 200
    path = link_in(message, "/invitation/")
    assert f"https://bakery.test{path}".encode() in shown.data
    assert client.get(path).status_code == 200  # the newcomer can click through
    assert [r["status"] for r in outbox_rows(sqlite_app, north)] == ["sent"]
    assert outbox_rows(sqlite_app, south) == []


def test_dev_mail_shows_the_html_part_as_the_recipient_sees_it_beside_the_text(sqlite_app):
    north = make_bakery(sqlite_app, "north-bakery")
    invite(sqlite_app.test_client(), north, email="new.baker@example.com")
    [message] = sqlite_app.extensions["mail_transport"].messages()
    html_part = message.get_body(("html",)).get_content()
    text_part = message.get_body(("plain",)).get_content()

    page = sqlite_app.test_client().get(f"/dev/mail/{message['X-Outbox-Id']}")
    shown = page.get_data(as_text=True)
    [iframe] = re.findall(r"<iframe[^>]*>", shown)
    srcdoc = re.search(r'srcdoc="([^"]*)"', iframe).group(1)
    # The HTML part is rendered as is (the browser unescapes the attribute), links open a tab
    assert html.unescape(srcdoc) == '<base target="_blank">' + html_part
    # and it runs no script: a sandbox without allow-scripts.
    sandbox = re.search(r'sandbox="([^"]*)"', iframe).group(1)
    assert "allow-scripts" not in sandbox and "allow-same-origin" not in sandbox
    assert "Plain text" in shown and text_part.splitlines()[0] in html.unescape(shown)


def test_the_relay_and_the_scheduler_work_on_sqlite(sqlite_app):
    from tenants.scheduled_runs import ScheduledRun

    north = make_bakery(sqlite_app, "north-bakery")
    south = make_bakery(sqlite_app, "south-bakery")
    with freeze_time("2026-11-23 03:00:00"):
        add_outbound_email(sqlite_app, north, to_email="waiting@example.com")
        add_outbound_email(sqlite_app, south, status="sent")
    with freeze_time("2026-11-23 03:05:00"):
        from config.clock import utcnow
        from jobs import schedule

        # Every task due at 03:05 London (housekeeping, the hourly ones), for both bakeries.
        due = sorted(
            (name, period)
            for name, task in schedule.TENANT_TASKS.items()
            if (period := task.due_occurrence(utcnow(), "Europe/London"))
        )
        assert ("housekeeping", "2026-11-23T03:00") in due
        assert relay(sqlite_app) == 1
        assert run_job(sqlite_app, "jobs.schedule.dispatch", None) == 2 * len(due)
        assert run_job(sqlite_app, "jobs.schedule.dispatch", None) == 2 * len(due)
    captured = sqlite_app.extensions["mail_transport"].messages()
    assert [m["To"] for m in captured] == ["waiting@example.com"]
    for bakery in (north, south):
        with tenant_session(sqlite_app, bakery.id) as session:
            periods = sorted(session.execute(select(ScheduledRun.task, ScheduledRun.period)))
        # Each task's own occurrence: 03:00 for housekeeping and the hourly ones, 03:05 for the
        # back-in-stock check that runs five past the hour.
        assert periods == due
