"""Sign-in throttling can't be turned against the person: guesses lock one client out of one
account, a completed password reset forgives the account, and a slower cap per account holds
against guesses spread over many addresses."""

from datetime import timedelta

import pytest
from freezegun import freeze_time

from config import throttle
from tests.support.factories import PASSWORD, link_in, make_buyer, make_operator

ATTACKER, OWNER = "198.51.100.66", "203.0.113.7"
EMAIL = "sam@cafe.example"


@pytest.fixture(params=["staff", "buyer", "operator"])
def login(request, app, two_bakeries):
    """post(email, password, address) for one realm's sign-in, and the realm's email."""
    north, south = two_bakeries
    if request.param == "staff":
        path, email = f"/admin/{north.slug}/login", north.owner_email
    elif request.param == "buyer":
        make_buyer(app, north, email=EMAIL)
        make_buyer(app, south, email=EMAIL)
        path, email = f"/wholesale/{north.slug}/login", EMAIL
    else:
        make_operator(app)
        path, email = "/platform/login", "ops@platform.example"

    def post(password, address, who=email):
        return app.test_client().post(
            path, data={"email": who, "password": password}, environ_base={"REMOTE_ADDR": address}
        )

    post.email = email
    return post


def test_five_wrong_passwords_lock_that_client_out_but_not_the_person(login):
    with freeze_time("2026-11-23 10:00:00"):
        for _ in range(5):
            assert login("wrong-password", ATTACKER).status_code == 401
        assert login(PASSWORD, ATTACKER).status_code == 429
        assert login(PASSWORD, OWNER).status_code == 302


def test_guesses_from_many_addresses_meet_a_slower_cap_per_account(login):
    with freeze_time("2026-11-23 10:00:00") as frozen:
        for i in range(throttle.MAX_PER_ACCOUNT):
            assert login("wrong-password", f"192.0.2.{i % 250}").status_code == 401
            frozen.tick(timedelta(minutes=1))  # slow and spread: under every 15-minute limit
        assert login(PASSWORD, OWNER).status_code == 429
        frozen.tick(throttle.ACCOUNT_WINDOW)
        assert login(PASSWORD, OWNER).status_code == 302


def test_a_completed_password_reset_clears_the_accounts_failures(app, two_bakeries, mailbox):
    north, _ = two_bakeries
    owner = app.test_client()

    def sign_in(client, password, address):
        return client.post(
            f"/admin/{north.slug}/login",
            data={"email": north.owner_email, "password": password},
            environ_base={"REMOTE_ADDR": address},
        )

    with freeze_time("2026-11-23 10:00:00"):
        for _ in range(5):
            sign_in(owner, "forgotten-it", OWNER)
        assert sign_in(owner, PASSWORD, OWNER).status_code == 429
        owner.post(f"/admin/{north.slug}/forgot", data={"email": north.owner_email})
        reset = link_in(mailbox.messages[-1], "/reset/")
        assert owner.post(reset, data={"password": "remembered-now-1"}).status_code == 302
        assert sign_in(owner, "remembered-now-1", OWNER).status_code == 302


def test_a_completed_portal_reset_clears_the_buyers_failures(app, two_bakeries, mailbox):
    north, south = two_bakeries
    make_buyer(app, north, email=EMAIL)
    make_buyer(app, south, email=EMAIL)
    buyer = app.test_client()

    def sign_in(password):
        return buyer.post(
            f"/wholesale/{north.slug}/login", data={"email": EMAIL, "password": password}
        )

    with freeze_time("2026-11-23 10:00:00"):
        for _ in range(5):
            sign_in("forgotten-it")
        assert sign_in(PASSWORD).status_code == 429
        buyer.post(f"/wholesale/{north.slug}/forgot", data={"email": EMAIL})
        reset = link_in(mailbox.messages[-1], "/reset/")
        assert buyer.post(reset, data={"password": "remembered-now-1"}).status_code == 302
        assert sign_in("remembered-now-1").status_code == 302


def test_staff_token_links_are_throttled_per_address(app, two_bakeries, mailbox):
    north, _ = two_bakeries
    guesser = app.test_client()
    with freeze_time("2026-11-23 10:00:00"):
        for i in range(throttle.MAX_PER_ADDRESS):
            guesser.post(f"/admin/{north.slug}/reset/guess-{i}", data={"password": "x" * 12})
        assert (
            guesser.post(f"/admin/{north.slug}/reset/guess-z", data={"password": "x" * 12})
        ).status_code == 429
        assert (
            guesser.post(
                f"/admin/{north.slug}/invitation/guess-y", data={"password": "whatever-long-1"}
            ).status_code
            == 429
        )
        # Another address with a real link is not held up.
        app.test_client().post(
            f"/admin/{north.slug}/forgot",
            data={"email": north.owner_email},
            environ_base={"REMOTE_ADDR": OWNER},
        )
        reset = link_in(mailbox.messages[-1], "/reset/")
        done = app.test_client().post(
            reset, data={"password": "a-real-new-pass-1"}, environ_base={"REMOTE_ADDR": OWNER}
        )
        assert done.status_code == 302
