"""Staff sign in, sign out, rate limits, and cookies bound to one bakery."""

from freezegun import freeze_time

from tests.support.factories import PASSWORD, add_staff, sign_in_staff
from tests.support.html import page_text


def _login(client, bakery, email, password, address="203.0.113.7"):
    return client.post(
        f"/admin/{bakery.slug}/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_back_office_sends_anonymous_visitors_to_sign_in(client, two_bakeries):
    north, _ = two_bakeries
    response = client.get(f"/admin/{north.slug}/")
    assert response.status_code == 302
    assert response.location.startswith(f"/admin/{north.slug}/login")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, two_bakeries):
    north, _ = two_bakeries
    wrong = _login(client, north, north.owner_email, "not the password")
    unknown = _login(client, north, "nobody@example.com", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "don't match an account here" in page_text(wrong)
    assert "don't match an account here" in page_text(unknown)


def test_a_staff_cookie_from_one_bakery_is_anonymous_at_another(client, two_bakeries):
    north, south = two_bakeries  # same owner email at both, separate identities
    sign_in_staff(client, north)
    assert client.get(f"/admin/{north.slug}/").status_code == 200
    response = client.get(f"/admin/{south.slug}/")
    assert response.status_code == 302
    assert "/login" in response.location


def test_north_owners_password_does_not_open_south(client, app, two_bakeries):
    north, south = two_bakeries
    add_staff(app, north, email="only-north@example.com", role="sales")
    assert _login(client, south, "only-north@example.com", PASSWORD).status_code == 401


def test_sign_out_ends_the_session(client, two_bakeries):
    north, _ = two_bakeries
    sign_in_staff(client, north)
    assert client.post(f"/admin/{north.slug}/logout").status_code == 302
    assert client.get(f"/admin/{north.slug}/").status_code == 302


def test_sign_in_never_redirects_to_another_site(client, two_bakeries):
    north, _ = two_bakeries
    response = client.post(
        f"/admin/{north.slug}/login?next=//evil.example/steal",
        data={"email": north.owner_email, "password": PASSWORD},
    )
    assert response.location == f"/admin/{north.slug}/"


def test_five_failures_lock_the_account_for_fifteen_minutes(client, two_bakeries):
    north, south = two_bakeries
    with freeze_time("2026-11-23 10:00:00") as frozen:
        for _ in range(5):
            assert _login(client, north, north.owner_email, "wrong").status_code == 401
        locked = _login(client, north, north.owner_email, PASSWORD)
        assert locked.status_code == 429
        assert "Too many failed sign-ins" in page_text(locked)
        # The same email at the other bakery is another account.
        assert _login(client, south, south.owner_email, PASSWORD).status_code == 302
        frozen.tick(15 * 60 + 1)
        assert _login(client, north, north.owner_email, PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_slowed_down(client, two_bakeries):
    north, _ = two_bakeries
    with freeze_time("2026-11-23 10:00:00"):
        for i in range(30):
            _login(client, north, f"guess{i}@example.com", "wrong", address="198.51.100.9")
        blocked = _login(client, north, north.owner_email, PASSWORD, address="198.51.100.9")
        assert blocked.status_code == 429
        assert _login(client, north, north.owner_email, PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_limit(client, two_bakeries):
    north, _ = two_bakeries
    with freeze_time("2026-11-23 10:00:00"):
        for i in range(30):
            client.post(
                f"/admin/{north.slug}/login",
                data={"email": f"guess{i}@example.com", "password": "wrong"},
                headers={"X-Forwarded-For": f"192.0.2.{i}"},
                environ_base={"REMOTE_ADDR": "198.51.100.9"},
            )
        blocked = _login(client, north, north.owner_email, PASSWORD, address="198.51.100.9")
        assert blocked.status_code == 429


def test_the_session_cookie_is_http_only_and_permanent_for_30_days(client, two_bakeries):
    north, _ = two_bakeries
    response = sign_in_staff(client, north)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie


def test_a_disabled_staff_member_is_signed_out_at_the_next_request(client, app, two_bakeries):
    north, _ = two_bakeries
    staff_id = add_staff(app, north, email="leaving@example.com", role="sales")
    sign_in_staff(client, north, "leaving@example.com")
    owner = app.test_client()
    sign_in_staff(owner, north)
    assert owner.post(f"/admin/{north.slug}/staff/{staff_id}/disable").status_code == 302
    assert client.get(f"/admin/{north.slug}/").status_code == 302


def test_asking_for_reset_links_never_locks_the_sign_in(client, two_bakeries):
    north, _ = two_bakeries
    with freeze_time("2026-11-23 10:00:00"):
        for _ in range(6):
            client.post(f"/admin/{north.slug}/forgot", data={"email": north.owner_email})
        assert (
            client.post(
                f"/admin/{north.slug}/forgot", data={"email": north.owner_email}
            ).status_code
            == 429
        )
        assert _login(client, north, north.owner_email, PASSWORD).status_code == 302
