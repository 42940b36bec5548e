"""Buyer sign-in: password, throttling, no user enumeration, identities bound to one bakery,
access taken away at the next request, temporary passwords, resets and magic links."""

from datetime import timedelta

from freezegun import freeze_time

from tenants.customers.models import Contact, Customer
from tests.support.factories import (
    PASSWORD,
    add_contact,
    link_in,
    make_buyer,
    make_customer,
    sign_in_buyer,
    tenant_session,
)

EMAIL = "sam@cafe.example"


def _both(app, two_bakeries, **kwargs):
    north, south = two_bakeries
    mine = make_buyer(app, north, email=EMAIL, **kwargs)
    theirs = make_buyer(app, south, email=EMAIL, password="south-password-1")
    return north, south, mine, theirs


def test_a_contact_signs_in_with_email_and_password_and_sees_the_account(app, client, two_bakeries):
    north, _, _, _ = _both(app, two_bakeries)
    sign_in_buyer(client, north, EMAIL.upper())
    home = client.get(f"/wholesale/{north.slug}/")
    assert home.status_code == 200
    assert b"Caf\xc3\xa9 Aurora" in home.data and b"Main Street" in home.data
    assert b"Account owner" in home.data


def test_the_same_email_at_two_bakeries_is_two_identities(app, client, two_bakeries):
    north, south, _, _ = _both(app, two_bakeries)
    assert (
        client.post(
            f"/wholesale/{south.slug}/login", data={"email": EMAIL, "password": PASSWORD}
        ).status_code
        == 401
    )
    sign_in_buyer(client, north, EMAIL)
    # the cookie from North is anonymous at South
    assert client.get(f"/wholesale/{south.slug}/").status_code == 302
    assert (
        client.get(f"/wholesale/{south.slug}/account")
        .headers["Location"]
        .startswith(f"/wholesale/{south.slug}/login")
    )
    assert client.get(f"/wholesale/{north.slug}/").status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_answer(app, client, two_bakeries):
    north, _, _, _ = _both(app, two_bakeries)
    wrong = client.post(
        f"/wholesale/{north.slug}/login", data={"email": EMAIL, "password": "not-the-password"}
    )
    unknown = client.post(
        f"/wholesale/{north.slug}/login",
        data={"email": "nobody@cafe.example", "password": "not-the-password"},
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.data.replace(EMAIL.encode(), b"") == unknown.data.replace(
        b"nobody@cafe.example", b""
    )


def test_sign_in_is_throttled_per_account_and_not_at_the_other_bakery(app, client, two_bakeries):
    north, south, _, _ = _both(app, two_bakeries)
    with freeze_time("2026-11-02 09:00:00") as frozen:
        for _ in range(5):
            client.post(
                f"/wholesale/{north.slug}/login",
                data={"email": EMAIL, "password": "not-the-password"},
            )
        blocked = client.post(
            f"/wholesale/{north.slug}/login", data={"email": EMAIL, "password": PASSWORD}
        )
        assert blocked.status_code == 429
        # the same email at the other bakery is another account
        assert (
            app.test_client()
            .post(
                f"/wholesale/{south.slug}/login",
                data={"email": EMAIL, "password": "south-password-1"},
            )
            .status_code
            == 302
        )
        frozen.tick(timedelta(minutes=16))
        sign_in_buyer(client, north, EMAIL)


def test_switching_the_portal_off_signs_contacts_out_at_their_next_request(
    app, client, two_bakeries
):
    north, south, mine, theirs = _both(app, two_bakeries)
    sign_in_buyer(client, north, EMAIL)
    other = app.test_client()
    sign_in_buyer(other, south, EMAIL, "south-password-1")
    with tenant_session(app, north.id) as session:
        session.get(Customer, (north.id, mine["id"])).portal_enabled = False
    assert client.get(f"/wholesale/{north.slug}/").status_code == 302
    assert (
        client.post(
            f"/wholesale/{north.slug}/login", data={"email": EMAIL, "password": PASSWORD}
        ).status_code
        == 401
    )
    assert other.get(f"/wholesale/{south.slug}/").status_code == 200


def test_a_disabled_contact_is_signed_out_at_the_next_request(app, client, two_bakeries):
    north, _, mine, _ = _both(app, two_bakeries)
    sign_in_buyer(client, north, EMAIL)
    with tenant_session(app, north.id) as session:
        session.get(Contact, (north.id, mine["contact_id"])).status = "disabled"
    assert client.get(f"/wholesale/{north.slug}/").status_code == 302


def test_a_temporary_password_must_be_changed_at_first_sign_in(app, client, two_bakeries):
    north, _, _, _ = _both(app, two_bakeries, must_change_password=True)
    sign_in_buyer(client, north, EMAIL)
    forced = client.get(f"/wholesale/{north.slug}/")
    assert forced.headers["Location"] == f"/wholesale/{north.slug}/change-password"
    assert client.get(f"/wholesale/{north.slug}/account").status_code == 302
    same = client.post(f"/wholesale/{north.slug}/change-password", data={"new_password": PASSWORD})
    assert same.status_code == 422
    changed = client.post(
        f"/wholesale/{north.slug}/change-password", data={"new_password": "my-own-sourdough-1"}
    )
    assert changed.status_code == 302
    assert client.get(f"/wholesale/{north.slug}/").status_code == 200
    fresh = app.test_client()
    sign_in_buyer(fresh, north, EMAIL, "my-own-sourdough-1")


def test_staff_set_a_temporary_password_and_the_contact_must_change_it(app, client, two_bakeries):
    from tests.support.factories import sign_in_staff

    north, south = two_bakeries
    mine = make_customer(app, north)
    make_customer(app, south)
    contact_id = add_contact(
        app, north, mine["id"], email=EMAIL, status="not_invited", password=None
    )
    sign_in_staff(client, north)
    response = client.post(
        f"/admin/{north.slug}/customers/{mine['id']}/contacts/{contact_id}/password",
        data={"password": "temporary-loaf-1"},
    )
    assert response.status_code == 302
    buyer = app.test_client()
    sign_in_buyer(buyer, north, EMAIL, "temporary-loaf-1")
    assert buyer.get(f"/wholesale/{north.slug}/").headers["Location"].endswith("change-password")


def test_forgot_password_sends_a_link_only_to_real_contacts_and_says_the_same(
    app, client, two_bakeries, mailbox
):
    north, _, _, _ = _both(app, two_bakeries)
    known = client.post(f"/wholesale/{north.slug}/forgot", data={"email": EMAIL})
    unknown = client.post(f"/wholesale/{north.slug}/forgot", data={"email": "no@cafe.example"})
    assert known.status_code == unknown.status_code == 302
    assert [m["To"] for m in mailbox.messages] == [f"Alex Buyer <{EMAIL}>"]
    path = link_in(mailbox.messages[0], "/reset/")
    assert path.startswith(f"/wholesale/{north.slug}/reset/")
    assert client.get(path).status_code == 200
    assert client.post(path, data={"password": "new-rye-password"}).status_code == 302
    assert client.post(path, data={"password": "other-rye-password"}).status_code == 422
    sign_in_buyer(app.test_client(), north, EMAIL, "new-rye-password")


def test_a_magic_link_shows_continue_on_get_and_signs_in_once_on_post(
    app, client, two_bakeries, mailbox
):
    north, south, _, _ = _both(app, two_bakeries)
    with freeze_time("2026-11-02 09:00:00"):
        client.post(f"/wholesale/{north.slug}/magic", data={"email": EMAIL})
        path = link_in(mailbox.messages[0], "/magic/")
        first = client.get(path)
        assert first.status_code == 200 and b"Continue" in first.data
        assert client.get(path).status_code == 200  # a scanner's GET does not burn it
        foreign = path.replace(north.slug, south.slug)
        assert app.test_client().post(foreign).status_code == 410
        assert client.post(path).status_code == 302
        assert client.get(f"/wholesale/{north.slug}/").status_code == 200
        assert app.test_client().post(path).status_code == 410


def test_a_magic_link_expires(app, client, two_bakeries, mailbox):
    north, _, _, _ = _both(app, two_bakeries)
    with freeze_time("2026-11-02 09:00:00") as frozen:
        client.post(f"/wholesale/{north.slug}/magic", data={"email": EMAIL})
        path = link_in(mailbox.messages[0], "/magic/")
        frozen.tick(timedelta(minutes=21))
        assert client.get(path).status_code == 410
        assert client.post(path).status_code == 410
        assert client.get(f"/wholesale/{north.slug}/").status_code == 302


def test_link_requests_are_rate_limited(app, client, two_bakeries, mailbox):
    north, _, _, _ = _both(app, two_bakeries)
    answers = [
        client.post(f"/wholesale/{north.slug}/magic", data={"email": EMAIL}).status_code
        for _ in range(6)
    ]
    assert answers == [302] * 5 + [429]
    assert len(mailbox.messages) == 5


def test_sessions_end_after_thirty_days_without_a_visit(app, client, two_bakeries):
    north, _, _, _ = _both(app, two_bakeries)
    with freeze_time("2026-11-02 09:00:00") as frozen:
        sign_in_buyer(client, north, EMAIL)
        frozen.tick(timedelta(days=29))
        assert client.get(f"/wholesale/{north.slug}/").status_code == 200  # slides
        frozen.tick(timedelta(days=29))
        assert client.get(f"/wholesale/{north.slug}/").status_code == 200
        frozen.tick(timedelta(days=31))
        assert client.get(f"/wholesale/{north.slug}/").status_code == 302


def test_a_suspended_account_signs_in_read_only_and_sees_why(app, client, two_bakeries):
    north, _, mine, _ = _both(app, two_bakeries)
    with tenant_session(app, north.id) as session:
        customer = session.get(Customer, (north.id, mine["id"]))
        customer.status, customer.suspended_reason = "suspended", "Invoices overdue"
    sign_in_buyer(client, north, EMAIL)
    home = client.get(f"/wholesale/{north.slug}/")
    assert b"Invoices overdue" in home.data
    assert client.get(f"/wholesale/{north.slug}/account/company").status_code == 403
    assert (
        client.post(
            f"/wholesale/{north.slug}/account/company", data={"tax_number": "X"}
        ).status_code
        == 403
    )


def test_wrong_token_posts_are_throttled_per_address_without_blocking_real_links(
    app, client, two_bakeries, mailbox
):
    north, _, _, _ = _both(app, two_bakeries)
    answers = {
        client.post(f"/wholesale/{north.slug}/magic/guess-{i}").status_code for i in range(30)
    }
    assert answers == {410}
    assert client.post(f"/wholesale/{north.slug}/magic/guess-x").status_code == 429
    assert (
        client.post(
            f"/wholesale/{north.slug}/invitation/guess-y", data={"password": "whatever-long-1"}
        ).status_code
        == 429
    )
    # a different address is unaffected, and asking for links did not lock password sign-in
    other = app.test_client()
    other.post(
        f"/wholesale/{north.slug}/magic",
        data={"email": EMAIL},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    path = link_in(mailbox.messages[-1], "/magic/")
    assert other.post(path, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302
    sign_in_buyer(app.test_client(), north, EMAIL)


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, two_bakeries):
    north, south, _, _ = _both(app, two_bakeries)
    phone, at_south = app.test_client(), app.test_client()
    sign_in_buyer(client, north, EMAIL)
    sign_in_buyer(phone, north, EMAIL)
    sign_in_buyer(at_south, south, EMAIL, "south-password-1")
    changed = client.post(
        f"/wholesale/{north.slug}/change-password",
        data={"current_password": PASSWORD, "new_password": "my-own-sourdough-1"},
    )
    assert changed.status_code == 302
    assert client.get(f"/wholesale/{north.slug}/").status_code == 200
    assert phone.get(f"/wholesale/{north.slug}/").status_code == 302
    assert at_south.get(f"/wholesale/{south.slug}/").status_code == 200


def test_a_new_temporary_password_from_staff_ends_the_contacts_open_sessions(
    app, client, two_bakeries
):
    """Staff may replace a temporary password the contact has not changed yet (never one the
    contact chose: see tests/admin/test_contact_takeover.py); it ends the old one's sessions."""
    from tests.support.factories import sign_in_staff

    north, _, mine, _ = _both(app, two_bakeries, must_change_password=True)
    sign_in_buyer(client, north, EMAIL)
    assert client.get(f"/wholesale/{north.slug}/change-password").status_code == 200
    staff = app.test_client()
    sign_in_staff(staff, north)
    set_password = staff.post(
        f"/admin/{north.slug}/customers/{mine['id']}/contacts/{mine['contact_id']}/password",
        data={"password": "temporary-loaf-1"},
    )
    assert set_password.status_code == 302
    assert client.get(f"/wholesale/{north.slug}/change-password").status_code == 302
