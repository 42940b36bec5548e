"""Staff invitations and password resets end to end: request, email over SMTP, link, result."""

from __future__ import annotations

from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tests.jobs.helpers import invite
from tests.support.factories import PASSWORD, link_in, sign_in_staff, tenant_session

NEW_PASSWORD = "a-brand-new-password"
T0 = "2026-11-23 09:00:00"


def _last_link(mailbox, marker):
    return link_in(mailbox.messages[-1], marker)


def _staff_id(app, bakery, email):
    from tenants.staff.models import StaffUser

    with tenant_session(app, bakery.id) as session:
        return session.scalar(select(StaffUser.id).where(StaffUser.email == email))


def _sign_in(app, bakery, email, password):
    return app.test_client().post(
        f"/admin/{bakery.slug}/login", data={"email": email, "password": password}
    )


def test_an_invitation_link_shows_a_page_on_get_and_works_once_on_post(app, mailbox, two_bakeries):
    north, south = two_bakeries
    invite(app.test_client(), north, email="new.baker@example.com")
    [message] = mailbox.messages
    assert message["X-Envelope-To"] == "new.baker@example.com"
    path = _last_link(mailbox, "/invitation/")
    token = path.rsplit("/", 1)[1]

    visitor = app.test_client()
    for _ in range(2):  # a mail scanner's GET first, then the person's
        page = visitor.get(path)
        assert page.status_code == 200 and b"choose a password" in page.data
    assert visitor.get(f"/admin/{south.slug}/invitation/{token}").status_code == 410

    accepted = visitor.post(path, data={"password": NEW_PASSWORD})
    assert accepted.status_code == 302 and accepted.location.endswith(f"/admin/{north.slug}/")
    assert visitor.get(f"/admin/{north.slug}/").status_code == 200
    assert _sign_in(app, north, "new.baker@example.com", NEW_PASSWORD).status_code == 302
    assert _sign_in(app, south, "new.baker@example.com", NEW_PASSWORD).status_code == 401

    again = app.test_client().post(path, data={"password": "someone-elses-password"})
    assert again.status_code == 410
    assert (
        _sign_in(app, north, "new.baker@example.com", "someone-elses-password").status_code == 401
    )


def test_an_invitation_expires_after_seven_days(app, mailbox, two_bakeries):
    north, _ = two_bakeries
    with freeze_time(T0) as clock:
        invite(app.test_client(), north)
        path = _last_link(mailbox, "/invitation/")
        clock.tick(timedelta(days=7) - timedelta(minutes=1))
        assert app.test_client().get(path).status_code == 200
        clock.tick(timedelta(minutes=2))
        assert app.test_client().get(path).status_code == 410
        assert app.test_client().post(path, data={"password": NEW_PASSWORD}).status_code == 410
    assert _sign_in(app, north, "new.baker@example.com", NEW_PASSWORD).status_code == 401


def test_resending_an_invitation_kills_the_old_link(app, mailbox, two_bakeries):
    north, south = two_bakeries
    owner = app.test_client()
    invite(owner, north)
    old = _last_link(mailbox, "/invitation/")
    staff_id = _staff_id(app, north, "new.baker@example.com")
    assert owner.post(f"/admin/{north.slug}/staff/{staff_id}/resend").status_code == 302
    assert len(mailbox.messages) == 2
    new = _last_link(mailbox, "/invitation/")
    assert new != old
    assert app.test_client().get(old).status_code == 410
    assert app.test_client().post(new, data={"password": NEW_PASSWORD}).status_code == 302
    assert _staff_id(app, south, "new.baker@example.com") is None


def test_a_password_reset_link_works_once_and_gets_only_this_bakerys_owner(
    app, mailbox, two_bakeries
):
    north, south = two_bakeries  # both owners are owner@example.com
    response = app.test_client().post(
        f"/admin/{north.slug}/forgot", data={"email": north.owner_email}
    )
    assert response.status_code == 302
    [message] = mailbox.messages
    assert message["Subject"] == "Reset your North Bakery password"
    path = _last_link(mailbox, "/reset/")
    assert path.startswith(f"/admin/{north.slug}/reset/")
    token = path.rsplit("/", 1)[1]

    visitor = app.test_client()
    assert visitor.get(path).status_code == 200
    assert visitor.get(path).status_code == 200  # GET does not use the token
    wrong_bakery = visitor.post(
        f"/admin/{south.slug}/reset/{token}", data={"password": NEW_PASSWORD}
    )
    assert wrong_bakery.status_code == 422
    assert visitor.post(path, data={"password": NEW_PASSWORD}).status_code == 302

    assert _sign_in(app, north, north.owner_email, NEW_PASSWORD).status_code == 302
    assert _sign_in(app, north, north.owner_email, PASSWORD).status_code == 401
    assert _sign_in(app, south, south.owner_email, PASSWORD).status_code == 302
    reused = app.test_client().post(path, data={"password": "yet-another-password"})
    assert reused.status_code == 422 and b"expired or was already used" in reused.data


def test_a_password_reset_link_expires_after_two_hours_and_a_newer_one_replaces_it(
    app, mailbox, two_bakeries
):
    north, _ = two_bakeries
    with freeze_time(T0) as clock:
        app.test_client().post(f"/admin/{north.slug}/forgot", data={"email": north.owner_email})
        first = _last_link(mailbox, "/reset/")
        clock.tick(timedelta(hours=2, minutes=1))
        expired = app.test_client().post(first, data={"password": NEW_PASSWORD})
        assert expired.status_code == 422
        opened = app.test_client().get(first)
        assert opened.status_code == 410 and b"has expired or was already used" in opened.data

        app.test_client().post(f"/admin/{north.slug}/forgot", data={"email": north.owner_email})
        app.test_client().post(f"/admin/{north.slug}/forgot", data={"email": north.owner_email})
        second, third = (link_in(m, "/reset/") for m in mailbox.messages[1:])
        assert app.test_client().post(second, data={"password": NEW_PASSWORD}).status_code == 422
        assert app.test_client().post(third, data={"password": NEW_PASSWORD}).status_code == 302


def test_asking_for_a_reset_of_an_unknown_address_sends_nothing_and_says_the_same(
    app, mailbox, two_bakeries
):
    north, _ = two_bakeries
    client = app.test_client()
    response = client.post(f"/admin/{north.slug}/forgot", data={"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mailbox.messages == []
    sign_in_staff(client, north)  # the owner still signs in with the old password


def test_a_disabled_invitee_cannot_switch_themselves_back_on_with_the_old_link(
    app, mailbox, two_bakeries
):
    north, south = two_bakeries
    owner = app.test_client()
    invite(owner, north)
    path = _last_link(mailbox, "/invitation/")
    staff_id = _staff_id(app, north, "new.baker@example.com")
    assert owner.post(f"/admin/{north.slug}/staff/{staff_id}/disable").status_code == 302
    stale = app.test_client()
    assert stale.post(path, data={"password": NEW_PASSWORD}).status_code == 410
    assert _sign_in(app, north, "new.baker@example.com", NEW_PASSWORD).status_code == 401
    from tenants.staff.models import StaffUser

    with tenant_session(app, north.id) as session:
        assert session.get(StaffUser, (north.id, staff_id)).status == "disabled"
    assert _staff_id(app, south, "new.baker@example.com") is None


def test_a_password_reset_signs_out_every_session_that_used_the_old_password(
    app, mailbox, two_bakeries
):
    north, south = two_bakeries
    laptop, other_bakery = app.test_client(), app.test_client()
    sign_in_staff(laptop, north)
    sign_in_staff(other_bakery, south)
    assert laptop.get(f"/admin/{north.slug}/").status_code == 200
    app.test_client().post(f"/admin/{north.slug}/forgot", data={"email": north.owner_email})
    path = _last_link(mailbox, "/reset/")
    assert app.test_client().post(path, data={"password": NEW_PASSWORD}).status_code == 302
    assert laptop.get(f"/admin/{north.slug}/").status_code == 302  # back to sign-in
    assert other_bakery.get(f"/admin/{south.slug}/").status_code == 200
