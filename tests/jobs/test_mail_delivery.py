"""Mail from the outbox through a real SMTP server: rendering, links, tenants, idempotency."""

from __future__ import annotations

from email.utils import parseaddr

from rq import Queue

from tests.jobs.helpers import invite, outbox_rows, run_job
from tests.support.factories import link_in, make_bakery, platform_session


def _brand(app, bakery, **fields):
    from tenants.models import Tenant

    with platform_session(app) as session:
        tenant = session.get(Tenant, bakery.id)
        for name, value in fields.items():
            setattr(tenant, name, value)


def test_an_invitation_arrives_branded_in_utf8_with_both_parts_and_base_url_links(
    app, client, mailbox
):
    zabka = make_bakery(app, "zabka", name="Żabka & Söhne")
    north = make_bakery(app, "north-bakery")
    _brand(app, zabka, contact_email="hallo@zabka.example", brand_colour="#123456")
    # The request arrives on a foreign Host: links must still use BASE_URL.
    invite(
        client,
        zabka,
        email="jurgen@example.com",
        name="Jürgen Größ",
        base_url="http://evil.example",
    )
    invite(app.test_client(), north, email="jurgen@example.com", name="Jürgen Größ")

    assert len(mailbox.messages) == 2
    by_bakery = {parseaddr(m["From"])[0]: m for m in mailbox.messages}
    message = by_bakery["Żabka & Söhne"]
    assert message["Subject"] == "Owner zabka invited you to Żabka & Söhne"
    assert message["To"] == "Jürgen Größ <jurgen@example.com>"
    assert message["X-Envelope-To"] == "jurgen@example.com"
    assert parseaddr(message["Reply-To"]) == ("Żabka & Söhne", "hallo@zabka.example")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello Jürgen Größ," in text and "Żabka & Söhne's back office" in text
    assert "Żabka &amp; Söhne" in html and "#123456" in html
    path = link_in(message, "/invitation/")
    assert path.startswith("/admin/zabka/invitation/")
    assert f"https://bakery.test{path}" in text and f"https://bakery.test{path}" in html
    assert "evil.example" not in message.as_string()

    other = by_bakery["North Bakery"]
    assert link_in(other, "/invitation/").startswith("/admin/north-bakery/invitation/")
    assert "Żabka" not in other.get_body(("plain",)).get_content()
    assert [r["status"] for r in outbox_rows(app, zabka)] == ["sent"]
    assert [r["status"] for r in outbox_rows(app, north)] == ["sent"]


def test_the_same_delivery_job_run_twice_sends_one_email(
    rq_app, client, mailbox, work, redis_conn, two_bakeries
):
    north, south = two_bakeries
    invite(client, north)
    [row] = outbox_rows(rq_app, north)
    # A duplicate under another id (a retried enqueue, a relay racing the request).
    Queue("mail", connection=redis_conn).enqueue(
        "jobs.runtime.run",
        "jobs.mail.deliver_email",
        str(north.id),
        str(row["id"]),
        job_id="duplicate-delivery",
    )
    assert work() == 2
    assert len(mailbox.messages) == 1
    [row] = outbox_rows(rq_app, north)
    assert (row["status"], row["attempts"]) == ("sent", 1)
    assert run_job(rq_app, "jobs.mail.deliver_email", str(north.id), str(row["id"])) == "skipped"
    assert len(mailbox.messages) == 1
    assert outbox_rows(rq_app, south) == []


def test_two_bakeries_jobs_back_to_back_keep_their_own_tenant(rq_app, mailbox, work, two_bakeries):
    north, south = two_bakeries
    # Same recipient at both bakeries, queued before any job runs.
    invite(rq_app.test_client(), north, email="sam@example.com")
    invite(rq_app.test_client(), south, email="sam@example.com")
    assert len(mailbox.messages) == 0
    assert work() == 2

    assert len(mailbox.messages) == 2
    for message in mailbox.messages:
        slug = "north-bakery" if parseaddr(message["From"])[0] == "North Bakery" else "south-bakery"
        assert link_in(message, "/invitation/").startswith(f"/admin/{slug}/invitation/")
    # Each link works only at its own bakery: the token was issued in the right tenant.
    for message in mailbox.messages:
        path = link_in(message, "/invitation/")
        token = path.rsplit("/", 1)[1]
        own = path.split("/")[2]
        other = "south-bakery" if own == "north-bakery" else "north-bakery"
        assert rq_app.test_client().get(path).status_code == 200
        assert rq_app.test_client().get(f"/admin/{other}/invitation/{token}").status_code == 410


def test_each_bakerys_email_shows_dates_in_its_own_locale_and_timezone(app, mailbox):
    from datetime import UTC, datetime

    from freezegun import freeze_time

    baeckerei = make_bakery(app, "baeckerei", name="Bäckerei Berg")
    north = make_bakery(app, "north-bakery")
    _brand(app, baeckerei, locale="de_DE", timezone="Europe/Berlin")
    # Invitations expire seven days after they are sent: 30 Nov 2026, 09:00 UTC.
    with freeze_time(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)):
        invite(app.test_client(), baeckerei)
        invite(app.test_client(), north)

    by_bakery = {parseaddr(m["From"])[0]: m for m in mailbox.messages}
    german = by_bakery["Bäckerei Berg"].get_body(("plain",)).get_content()
    assert "expires on 30.11.2026, 10:00 MEZ." in german  # day.month.year, Berlin time
    british = by_bakery["North Bakery"].get_body(("plain",)).get_content()
    assert "expires on 30 Nov 2026, 09:00 GMT." in british  # London time, en_GB


def test_a_line_break_in_a_name_never_stops_the_mail_nor_adds_a_header(app, mailbox, two_bakeries):
    from tests.support.factories import add_outbound_email

    north, south = two_bakeries
    # Written straight to the database: whatever slipped past the forms, delivery must hold.
    _brand(app, north, name="North\nBakery")
    row_id = add_outbound_email(
        app,
        north,
        to_email="ann@cafe.example",
        to_name="Ann\r\nBcc: evil@x.example",
        context={"name": "Ann", "inviter": "Owner\nBcc: evil@x.example", "role": "Sales"},
    )
    assert run_job(app, "jobs.mail.deliver_email", str(north.id), str(row_id)) == "sent"
    [message] = mailbox.messages
    assert parseaddr(message["To"]) == ("Ann Bcc: evil@x.example", "ann@cafe.example")
    assert parseaddr(message["From"])[0] == "North Bakery"
    assert "\n" not in message["Subject"] and message["Bcc"] is None
    assert message["X-Envelope-To"] == "ann@cafe.example"
    assert outbox_rows(app, south) == []
