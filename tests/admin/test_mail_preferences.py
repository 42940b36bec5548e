"""Reminder and marketing mail carry a preferences link; opting out holds per bakery."""

from __future__ import annotations

from freezegun import freeze_time

from tests.jobs.helpers import outbox_rows
from tests.support.factories import link_in, tenant_session


def _remind(app, bakery, to_email="buyer@example.com"):
    from tenants.models import Tenant
    from tenants.outbox import queue_email

    with tenant_session(app, bakery.id) as session:
        tenant = session.get(Tenant, bakery.id)
        queue_email(
            session,
            tenant,
            to_email=to_email,
            template="notice",
            category="reminders",
            context={"headline": f"Order from {tenant.name}", "body": "Cut-off is 14:00."},
        )


def test_a_reminder_carries_a_signed_preferences_link_and_list_unsubscribe_headers(
    app, mailbox, two_bakeries
):
    north, _ = two_bakeries
    _remind(app, north)
    [message] = mailbox.messages
    path = link_in(message, "/preferences/")
    assert path.startswith(f"/mail/{north.slug}/preferences/")
    assert message["List-Unsubscribe"] == f"<https://bakery.test{path}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"https://bakery.test{path}" in message.get_body(("html",)).get_content()


def test_transactional_mail_has_no_unsubscribe_link(app, mailbox, two_bakeries):
    from tests.jobs.helpers import invite

    north, _ = two_bakeries
    invite(app.test_client(), north)
    [message] = mailbox.messages
    assert message["List-Unsubscribe"] is None
    assert "/preferences/" not in message.get_body(("plain",)).get_content()


def test_opting_out_stops_that_bakerys_reminders_to_that_address_only(app, mailbox, two_bakeries):
    north, south = two_bakeries
    _remind(app, north)
    path = link_in(mailbox.messages[0], "/preferences/")
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and b"buyer@example.com" in page.data
    _remind(app, north)  # GET changed nothing
    assert len(mailbox.messages) == 2

    saved = visitor.post(path, data={"marketing": "y"})  # "reminders" unticked
    assert saved.status_code == 200 and b"Your choices are saved." in saved.data
    assert b'id="reminders" name="reminders"' in saved.data
    assert b'checked id="reminders"' not in saved.data

    _remind(app, north)
    _remind(app, north, to_email="colleague@example.com")
    _remind(app, south)
    assert sorted(m["X-Envelope-To"] for m in mailbox.messages[2:]) == [
        "buyer@example.com",  # from South: the opt-out was North's
        "colleague@example.com",
    ]
    statuses = [(r["to"], r["status"]) for r in outbox_rows(app, north)][2:]
    assert statuses == [("buyer@example.com", "suppressed"), ("colleague@example.com", "sent")]

    visitor.post(path, data={"reminders": "y", "marketing": "y"})  # subscribe again
    _remind(app, north)
    assert mailbox.messages[-1]["X-Envelope-To"] == "buyer@example.com"


def test_a_mail_providers_one_click_post_unsubscribes(app, mailbox, two_bakeries):
    north, _ = two_bakeries
    _remind(app, north)
    path = link_in(mailbox.messages[0], "/preferences/")
    response = app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    _remind(app, north)
    assert len(mailbox.messages) == 1
    assert outbox_rows(app, north)[-1]["status"] == "suppressed"


def test_a_preferences_link_only_works_at_its_own_bakery_and_unaltered(app, mailbox, two_bakeries):
    north, south = two_bakeries
    _remind(app, north)
    path = link_in(mailbox.messages[0], "/preferences/")
    token = path.rsplit("/", 1)[1]
    client = app.test_client()
    assert client.get(f"/mail/{south.slug}/preferences/{token}").status_code == 404
    assert (
        client.post(
            f"/mail/{south.slug}/preferences/{token}", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 404
    )
    assert client.get(f"/mail/{north.slug}/preferences/{token[:-2]}xx").status_code == 404
    _remind(app, south)
    assert mailbox.messages[-1]["X-Envelope-To"] == "buyer@example.com"


def test_an_opt_out_after_queueing_still_stops_the_email(app, mailbox, two_bakeries):
    from tenants.mail_preferences import set_preferences
    from tenants.models import Tenant
    from tests.jobs.helpers import run_job

    north, _ = two_bakeries
    mailbox.refuse = True
    _remind(app, north)  # first attempt refused; the row waits for a retry
    with tenant_session(app, north.id) as session:
        set_preferences(
            session,
            session.get(Tenant, north.id),
            email="buyer@example.com",
            unsubscribed={"reminders"},
        )
    mailbox.refuse = False
    row = outbox_rows(app, north)[0]
    with freeze_time(row["next_attempt_at"]):
        assert run_job(app, "jobs.mail.deliver_email", str(north.id), str(row["id"])) == (
            "suppressed"
        )
    assert mailbox.messages == []


def test_the_preferences_form_needs_its_csrf_token_but_one_click_does_not(
    app, mailbox, two_bakeries
):
    north, _ = two_bakeries
    _remind(app, north)
    path = link_in(mailbox.messages[0], "/preferences/")
    app.config["WTF_CSRF_ENABLED"] = True  # the fixture turns it off again afterwards
    client = app.test_client()
    assert client.post(path, data={"marketing": "y"}).status_code == 400
    _remind(app, north)
    assert len(mailbox.messages) == 2  # the forged post changed nothing
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    _remind(app, north)
    assert len(mailbox.messages) == 2


def test_staff_switch_new_order_emails_on_and_off_on_their_preferences_page(
    app, mailbox, two_bakeries
):
    from tenants.mail_preferences import opted_in_emails, preferences_token
    from tests.support.factories import add_staff

    north, south = two_bakeries
    add_staff(app, north, email="sam@north.example", role="production")
    secret = app.config["SETTINGS"].secret_key
    staff_path = (
        f"/mail/{north.slug}/preferences/{preferences_token(secret, north.id, 'sam@north.example')}"
    )
    buyer_path = (
        f"/mail/{north.slug}/preferences/{preferences_token(secret, north.id, 'buyer@example.com')}"
    )
    client = app.test_client()
    page = client.get(staff_path)
    assert b'name="new_orders"' in page.data and b'checked id="new_orders"' not in page.data
    assert b'name="new_orders"' not in client.get(buyer_path).data  # buyers have no such choice

    saved = client.post(staff_path, data={"reminders": "y", "marketing": "y", "new_orders": "y"})
    assert b"Your choices are saved." in saved.data and b'checked id="new_orders"' in saved.data
    client.post(buyer_path, data={"new_orders": "y"})  # ignored: not a staff address
    with tenant_session(app, north.id) as session:
        assert opted_in_emails(session, "new_orders") == {"sam@north.example"}
    with tenant_session(app, south.id) as session:
        assert opted_in_emails(session, "new_orders") == set()

    client.post(staff_path, data={"List-Unsubscribe": "One-Click"})  # off with everything else
    with tenant_session(app, north.id) as session:
        assert opted_in_emails(session, "new_orders") == set()


def test_a_signed_in_staff_member_reaches_their_own_preferences_page_from_the_back_office(
    client, two_bakeries
):
    from tests.support.factories import add_staff, sign_in_staff

    north, _ = two_bakeries
    add_staff(client.application, north, email="sam@north.example", role="sales")
    sign_in_staff(client, north, "sam@north.example")
    home = client.get(f"/admin/{north.slug}/")
    assert f"/admin/{north.slug}/account/mail-preferences".encode() in home.data
    page = client.get(f"/admin/{north.slug}/account/mail-preferences", follow_redirects=True)
    assert page.status_code == 200
    assert b"sam@north.example" in page.data and b'name="new_orders"' in page.data
